package io.github.s3lite.sample;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import io.github.s3lite.test.IndependentRestore;
import io.github.s3lite.test.S3ProxyServer;

import static org.awaitility.Awaitility.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * litestream runs in its own session, so a SIGKILL of the JVM leaves it running. The next start of the
 * app on the same database must not run a second litestream next to it.
 */
class OrphanedLitestreamTests {

	private static final String BUCKET = "orphans";

	private static final Duration HANG_GUARD = Duration.ofSeconds(90);

	@RegisterExtension
	static final S3ProxyServer s3 = S3ProxyServer.withBucket(BUCKET);

	@TempDir
	Path dir;

	@Test
	void theNextStartStopsALitestreamThatOutlivedItsKilledJvm() throws Exception {
		Path database = this.dir.resolve("data/notes.sqlite3");
		// restarted at once after SIGKILL: with the lease, the restart would follow until the killed
		// process's lease expired (up to s3lite.lease.ttl); that case is DeployOverlapTests'
		List<String> args = new ArrayList<>(AppProcess.s3Args(database, s3, "s3://" + BUCKET + "/notes"));
		args.add("--s3lite.lease.enabled=false");
		Path logs = Path.of("target", "orphan-logs");
		ProcessHandle orphan;
		try (AppProcess first = AppProcess.start(NumberedWriter.class, logs.resolve("first.log"),
				List.of("-Dwriter.rows=20", "-Dwriter.linger=true"), args)) {
			first.await("WRITER synced 20"::equals, HANG_GUARD);
			orphan = first.litestream().get(0);
			first.kill();
		}
		// an idle orphan lives on; one with WAL left to upload uploads it, then dies of SIGPIPE when it logs
		await("litestream outlives a SIGKILLed JVM").during(Duration.ofSeconds(3))
			.atMost(Duration.ofSeconds(5))
			.until(() -> AppProcess.running(orphan));
		long ackedBefore;
		try (AppProcess second = AppProcess.start(NumberedWriter.class, logs.resolve("second.log"),
				List.of("-Dwriter.pauseMillis=20"), args)) {
			String ready = second.await((line) -> line.startsWith("WRITER ready"), HANG_GUARD);
			assertThat(ready).endsWith("integrity=ok");
			assertThat(AppProcess.running(orphan)).isFalse();
			assertThat(second.output()).contains("litestream (pid " + orphan.pid() + ") is still replicating")
				.contains("Stale litestream (pid " + orphan.pid() + ") exited");
			assertThat(second.litestream()).hasSize(1);
			String synced = second.await((line) -> line.startsWith("WRITER synced "), HANG_GUARD);
			ackedBefore = Long.parseLong(synced.substring(14));
			second.terminate(HANG_GUARD);
		}
		Path restored = IndependentRestore.fromS3(s3, BUCKET, "notes", this.dir.resolve("check.db"));
		assertThat(IndependentRestore.integrityCheck(restored)).isEqualTo("ok");
		long count = IndependentRestore.count(restored, "notes");
		assertThat(IndependentRestore.queryLong(restored, "SELECT max(id) FROM notes")).isEqualTo(count)
			.isGreaterThanOrEqualTo(ackedBefore);
		assertThat(Files.exists(database)).isTrue();
	}

}
