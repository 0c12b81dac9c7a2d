package io.github.s3lite.reliability;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import ch.qos.logback.classic.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.jdbc.core.JdbcTemplate;

import io.github.s3lite.datasource.ReplicatingDataSource;
import io.github.s3lite.internal.lease.LeaseRole;
import io.github.s3lite.internal.lease.LeaseStatus;
import io.github.s3lite.test.FaultProxy;
import io.github.s3lite.test.S3ProxyServer;
import io.github.s3lite.testapp.CapturedLog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * What the log says about a 20 s S3 outage, for every engine, with the lease on: one WARN when each source
 * of retried requests (the writer's lease renewals and uploads) starts failing, nothing else above INFO, and one
 * INFO per source when it recovers, with the outage's duration (counted from the first failure). The lease
 * ttl is 60 s and the outage starts 18 to 19.5 s after a renewal, so the next renewal (20 s after the
 * last) fails within a few seconds and the outage ends at least 10.5 s before the fence (50 s after the
 * last renewal): the writer is never fenced.
 */
class OutageLogLinesTests {

	private static final String BUCKET = "outage-log";

	private static final Duration OUTAGE = Duration.ofSeconds(20);

	private static final Duration TTL = Duration.ofSeconds(60);

	private static final Pattern RECOVERED = Pattern.compile("(.*) recovered after ([0-9.]+) s: .*");

	@RegisterExtension
	static final S3ProxyServer s3 = S3ProxyServer.withBucket(BUCKET);

	@TempDir
	Path dir;

	private FaultProxy proxy;

	private CapturedLog log;

	@BeforeEach
	void capture() {
		this.proxy = FaultProxy.forward(s3.port());
		this.log = CapturedLog.of("io.github.s3lite");
	}

	@AfterEach
	void release() {
		this.log.close();
		this.proxy.close();
	}

	@ParameterizedTest
	@ValueSource(strings = { "litestream", "native" })
	void aTwentySecondOutageLogsOneWarnWhenEachSourceStartsFailingAndOneInfoWithTheDurationWhenItRecovers(
			String engine) {
		String replica = "s3://" + BUCKET + "/" + engine + "-" + UUID.randomUUID();
		ReplicatedApp.runner(this.dir.resolve("data/app.sqlite3"), replica, this.proxy.endpoint())
			.withPropertyValues("s3lite.engine=" + engine, "s3lite.lease.ttl=" + TTL.toSeconds() + "s")
			.run((context) -> {
				assertThat(this.log.lines(Level.INFO)).as("a fresh start says once that the replica is empty")
					.filteredOn((line) -> line.contains(" is empty"))
					.hasSize(1);
				JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
				ReplicatingDataSource dataSource = context.getBean(ReplicatingDataSource.class);
				LeaseRole role = context.getBean(LeaseRole.class);
				ReplicatedApp.insert(jdbc, 1, 10);
				dataSource.sync(ReplicatedApp.SYNC_TIMEOUT);
				// 18 to 19.5 s after the last renewal (sent ttl before the lease expires): the next one is sent
				// 0.5 to 2 s into the outage (and fails after the client's own retries), the outage ends by 39.5 s
				await("a renewal 0.5 to 2 s away").atMost(TTL)
					.until(() -> sinceLastRenewal(role.status()).toMillis() >= 18_000
							&& sinceLastRenewal(role.status()).toMillis() < 19_500);
				this.log.clear();
				this.proxy.set(FaultProxy.Fault.PARTITION);
				AtomicInteger next = new AtomicInteger(11);
				// the application writes on during the outage: one row every 250 ms
				await("the outage").during(OUTAGE)
					.atMost(OUTAGE.plusSeconds(5))
					.pollInterval(Duration.ofMillis(250))
					.until(() -> jdbc.update("INSERT INTO items (id, name) VALUES (?, 'outage')",
							next.getAndIncrement()) == 1);
				this.proxy.set(FaultProxy.Fault.NONE);
				await("every source to recover").atMost(Duration.ofSeconds(60))
					.until(() -> recovered().size() == 2 && dataSource.status().inSync());
				List<String> problems = this.log.lines(Level.WARN);
				// the writer's sources: its renewals and the replication (its lease check makes no request)
				assertThat(problems).as("one WARN per source, nothing else above INFO")
					.hasSize(2)
					.allMatch((line) -> line.startsWith("WARN ")
							&& line.endsWith("; retrying, next report when it recovers"));
				assertThat(problems).filteredOn((line) -> line.contains(": Lease renewal of ")).hasSize(1);
				assertThat(problems).filteredOn((line) -> line.contains(": Lease check of ")).isEmpty();
				assertThat(problems).filteredOn((line) -> line.contains("eplication of ")).hasSize(1);
				assertThat(recovered()).as("one INFO per source").hasSize(2).allSatisfy((line) -> {
					Matcher matcher = RECOVERED.matcher(line);
					assertThat(matcher.matches()).isTrue();
					assertThat(Double.parseDouble(matcher.group(2))).as(line).isGreaterThanOrEqualTo(15.0);
				});
				assertThat(this.log.lines(Level.INFO)).noneMatch((line) -> line.contains("Fenced"));
				assertThat(role.status().role()).isEqualTo("writer");
			});
	}

	private List<String> recovered() {
		return this.log.lines(Level.INFO).stream().filter((line) -> line.contains(" recovered after ")).toList();
	}

	private static Duration sinceLastRenewal(LeaseStatus status) {
		return Duration.between(status.expiresAt().minus(TTL), Instant.now());
	}

}
