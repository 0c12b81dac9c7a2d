package io.github.s3lite.internal.litestream;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import ch.qos.logback.classic.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.github.s3lite.testapp.CapturedLog;
import io.github.s3lite.test.MutableClock;

import static org.assertj.core.api.Assertions.assertThat;

class LitestreamOutputLogTests {

	private static final String UNREACHABLE = "time=x level=ERROR msg=\"monitor error\" error=\"client write: "
			+ "RequestError: send request failed\\ncaused by: Put \\\"http://127.0.0.1:9/b/db/wal/%08x.wal.lz4\\\": EOF\"";

	private final CapturedLog log = CapturedLog.of("io.github.s3lite.litestream.output", Level.TRACE);

	private final MutableClock clock = new MutableClock(Instant.parse("2026-12-07T10:00:00Z"));

	private final LitestreamOutputLog output = new LitestreamOutputLog("/data/app.db", "s3://b/db", this.clock);

	@AfterEach
	void release() {
		this.log.close();
	}

	@Test
	void errorLinesOfAnUnreachableReplicaCollapseIntoOneWarnAndOneInfoWhenAnUploadSucceedsAgain() {
		for (int i = 0; i < 11; i++) {
			relay(String.format(UNREACHABLE, i));
			this.clock.advance(Duration.ofSeconds(2));
		}
		relay("time=x level=INFO msg=\"wal segment written\" db=/data/app.db position=0123/00000001:4152");
		List<String> lines = this.log.lines(Level.INFO);
		assertThat(lines).hasSize(2);
		assertThat(lines.get(0)).startsWith("WARN output: litestream replication of /data/app.db to s3://b/db is "
				+ "failing: monitor error: client write: RequestError: send request failed caused by: Put ")
			.endsWith("; retrying, next report when it recovers");
		assertThat(lines.get(1)).startsWith("INFO output: litestream replication of /data/app.db to s3://b/db "
				+ "recovered after 22.0 s: 11 attempts failed (monitor error: client write: RequestError");
	}

	@Test
	void anotherErrorLineKeepsItsLevelOnceAMinutePerMessage() {
		String line = "time=x level=ERROR msg=\"checkpoint error\" db=/data/app.db error=\"database is locked %d\"";
		relay(String.format(line, 1));
		this.clock.advance(Duration.ofSeconds(30));
		relay(String.format(line, 2));
		relay("time=x level=WARN msg=\"snapshot slow\" db=/data/app.db");
		this.clock.advance(Duration.ofSeconds(31));
		relay(String.format(line, 3));
		assertThat(this.log.lines(Level.INFO)).containsExactly(
				"ERROR output: checkpoint error db=/data/app.db error=database is locked 1",
				"WARN output: snapshot slow db=/data/app.db",
				"ERROR output: checkpoint error db=/data/app.db error=database is locked 3");
		assertThat(this.log.lines(Level.DEBUG)).contains(
				"DEBUG output: checkpoint error db=/data/app.db error=database is locked 2 (repeated)");
	}

	@Test
	void infoLinesGoToDebugAndDebugLinesToTrace() {
		relay("time=x level=INFO msg=\"wal segment written\" db=/data/app.db position=0123/00000001:4152");
		relay("time=x level=DEBUG msg=\"sync\" db=/data/app.db");
		assertThat(this.log.lines(Level.TRACE)).containsExactly(
				"DEBUG output: wal segment written db=/data/app.db position=0123/00000001:4152",
				"TRACE output: sync db=/data/app.db");
	}

	private void relay(String line) {
		this.output.accept(LitestreamLogEvent.parse(line));
	}

}
