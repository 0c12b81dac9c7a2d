package io.github.s3lite.internal.replication;

import java.io.IOException;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

import ch.qos.logback.classic.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;

import io.github.s3lite.testapp.CapturedLog;
import io.github.s3lite.test.MutableClock;

import static org.assertj.core.api.Assertions.assertThat;

class OutageLogTests {

	private static final String LOGGER = "io.github.s3lite.test.outage";

	private final CapturedLog log = CapturedLog.of(LOGGER, Level.TRACE);

	private final MutableClock clock = new MutableClock(Instant.parse("2026-12-07T10:00:00Z"));

	private final OutageLog outage = new OutageLog(LoggerFactory.getLogger(LOGGER), "Lease renewal of s3://b/lock.json",
			this.clock);

	@AfterEach
	void release() {
		this.log.close();
	}

	@Test
	void successesWithoutFailuresLogNothing() {
		this.outage.succeeded();
		this.outage.succeeded();
		assertThat(this.log.lines(Level.TRACE)).isEmpty();
		assertThat(this.outage.failing()).isFalse();
	}

	@Test
	void anOutageLogsOneWarnWhenItStartsAndOneInfoWithItsDurationAndRetriesWhenItEnds() {
		this.outage.failed("Connection reset");
		for (int i = 0; i < 9; i++) {
			this.clock.advance(Duration.ofSeconds(2));
			this.outage.failed(new ExecutionException(new IOException("Connection reset")));
		}
		assertThat(this.outage.failing()).isTrue();
		this.clock.advance(Duration.ofMillis(1500));
		this.outage.succeeded();
		this.outage.succeeded();
		assertThat(this.log.lines(Level.INFO)).containsExactly(
				"WARN outage: Lease renewal of s3://b/lock.json is failing: Connection reset; retrying, next report "
						+ "when it recovers",
				"INFO outage: Lease renewal of s3://b/lock.json recovered after 19.5 s: 10 attempts failed "
						+ "(10x Connection reset)");
		assertThat(this.log.lines(Level.DEBUG)).hasSize(11);
		assertThat(this.outage.failing()).isFalse();
	}

	@Test
	void theRecoveryNamesAFewDistinctCausesCutInTheMiddleAndCountsTheOthers() {
		this.outage.failed("EOF");
		this.outage.failed("head " + "x".repeat(500) + " root cause");
		this.outage.failed(new IllegalStateException());
		this.outage.failed("read timed out");
		this.outage.failed("EOF");
		this.clock.advance(Duration.ofSeconds(3));
		this.outage.succeeded();
		List<String> lines = this.log.lines(Level.INFO);
		assertThat(lines).hasSize(2);
		assertThat(lines.get(1)).startsWith("INFO outage: Lease renewal of s3://b/lock.json recovered after 3.0 s: "
				+ "5 attempts failed (2x EOF; head " + "x".repeat(OutageLog.CAUSE_HEAD - 5) + "..."
				+ "x".repeat(OutageLog.MAX_CAUSE_LENGTH - OutageLog.CAUSE_HEAD - 3 - 11) + " root cause; "
				+ "IllegalStateException; 1x other causes)");
	}

	@Test
	void aSecondOutageIsReportedAfreshAndOneFailureIsOneAttempt() {
		this.outage.failed("EOF");
		this.clock.advance(Duration.ofSeconds(1));
		this.outage.succeeded();
		this.outage.failed("503 Slow Down");
		this.clock.advance(Duration.ofSeconds(4));
		this.outage.succeeded();
		assertThat(this.log.lines(Level.INFO)).containsExactly(
				"WARN outage: Lease renewal of s3://b/lock.json is failing: EOF; retrying, next report when it recovers",
				"INFO outage: Lease renewal of s3://b/lock.json recovered after 1.0 s: 1 attempt failed (EOF)",
				"WARN outage: Lease renewal of s3://b/lock.json is failing: 503 Slow Down; retrying, next report when "
						+ "it recovers",
				"INFO outage: Lease renewal of s3://b/lock.json recovered after 4.0 s: 1 attempt failed (503 Slow Down)");
	}

	@Test
	void concurrentFailuresLogOneWarnAndAreAllCounted() throws Exception {
		ExecutorService threads = Executors.newFixedThreadPool(4);
		CountDownLatch start = new CountDownLatch(1);
		try {
			for (int i = 0; i < 4; i++) {
				threads.execute(() -> {
					try {
						start.await();
					}
					catch (InterruptedException ex) {
						Thread.currentThread().interrupt();
					}
					for (int j = 0; j < 250; j++) {
						this.outage.failed("EOF");
					}
				});
			}
			start.countDown();
		}
		finally {
			threads.shutdown();
			assertThat(threads.awaitTermination(10, TimeUnit.SECONDS)).isTrue();
		}
		this.outage.succeeded();
		assertThat(this.log.lines(Level.INFO)).hasSize(2)
			.last()
			.asString()
			.endsWith("recovered after 0.0 s: 1000 attempts failed (1000x EOF)");
	}

}
