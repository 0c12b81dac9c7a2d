package io.github.s3lite.internal.follow;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Map;
import java.util.UUID;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.jdbc.core.JdbcTemplate;

import io.github.s3lite.autoconfigure.S3liteHealthContributorAutoConfiguration;
import io.github.s3lite.autoconfigure.S3liteMetricsAutoConfiguration;
import io.github.s3lite.datasource.ReplicatingDataSource;
import io.github.s3lite.health.S3liteHealthIndicator;
import io.github.s3lite.internal.lease.LeaseRecord;
import io.github.s3lite.internal.metrics.FollowerMetrics;
import io.github.s3lite.reliability.ReplicatedApp;
import io.github.s3lite.test.FaultProxy;
import io.github.s3lite.test.S3ProxyServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A follower's staleness is visible and bounded (issue 23), end to end: its health shows what its readers
 * see and how old it is, and turns DOWN once it could not refresh for longer than
 * {@code s3lite.health.max-lag} (cut off from S3 through a {@link FaultProxy}), or has not refreshed since
 * it started following for that long. Another instance holds the lease; the writer runs without it.
 */
class FollowerStalenessTests {

	private static final String BUCKET = "staleness";

	private static final Duration MAX_LAG = Duration.ofSeconds(3);

	@RegisterExtension
	static final S3ProxyServer s3 = S3ProxyServer.withBucket(BUCKET);

	@TempDir
	Path dir;

	@Test
	void aFollowersHealthShowsTheWritersPositionAndIsDownOnceCutOffFromS3ForLongerThanMaxLag() {
		String prefix = prefix();
		try (FaultProxy proxy = FaultProxy.forward(s3.port())) {
			writer(prefix).run((writer) -> {
				ReplicatingDataSource writes = writer.getBean(ReplicatingDataSource.class);
				ReplicatedApp.insert(writer.getBean(JdbcTemplate.class), 1, 3);
				writes.sync(ReplicatedApp.SYNC_TIMEOUT);
				follower(proxy.endpoint(), prefix, "s3lite.follower.refresh-interval=200ms").run((follower) -> {
					assertThat(follower).hasNotFailed();
					MeterRegistry registry = new SimpleMeterRegistry();
					follower.getBean(FollowerMetrics.class).bindTo(registry);
					ReplicatedApp.insert(writer.getBean(JdbcTemplate.class), 4, 6);
					writes.sync(ReplicatedApp.SYNC_TIMEOUT);
					String synced = writes.status().replicatedPosition().toString();
					await().atMost(Duration.ofSeconds(10)).untilAsserted(() -> {
						Health health = health(follower);
						assertThat(health.getStatus()).isEqualTo(Status.UP);
						assertThat(followerDetail(health)).containsEntry("position", synced)
							.containsEntry("refreshInterval", "PT0.2S")
							.containsEntry("failing", false)
							.containsKeys("checkedAt", "age");
					});
					assertThat(lag(registry)).isNotNaN();
					proxy.set(FaultProxy.Fault.PARTITION);
					await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
						Health health = health(follower);
						assertThat(health.getStatus()).isEqualTo(Status.DOWN);
						assertThat(followerDetail(health)).containsEntry("position", synced)
							.containsEntry("failing", true);
						assertThat((String) health.getDetails().get("reason")).contains("s3lite.health.max-lag");
					});
					assertThat(lag(registry)).as("the lag of a follower that is DOWN for it")
						.isGreaterThan(MAX_LAG.toMillis() / 1000.0);
					proxy.set(FaultProxy.Fault.NONE);
					await().atMost(Duration.ofSeconds(15))
						.untilAsserted(() -> assertThat(health(follower).getStatus()).isEqualTo(Status.UP));
				});
			});
		}
	}

	@Test
	void aFollowerThatHasNotRefreshedSinceItStartedFollowingForLongerThanMaxLagIsDownUntilItRefreshes() {
		String prefix = prefix();
		writer(prefix).run((writer) -> {
			ReplicatedApp.insert(writer.getBean(JdbcTemplate.class), 1, 3);
			writer.getBean(ReplicatingDataSource.class).sync(ReplicatedApp.SYNC_TIMEOUT);
		});
		// the first periodic refresh is an hour away
		follower(s3.endpoint(), prefix, "s3lite.follower.refresh-interval=1h").run((follower) -> {
			assertThat(follower).hasNotFailed();
			await().atMost(Duration.ofSeconds(15)).untilAsserted(() -> {
				Health health = health(follower);
				assertThat(health.getStatus()).isEqualTo(Status.DOWN);
				assertThat(followerDetail(health)).containsEntry("position", null);
			});
			String reached = follower.getBean(ReplicatingDataSource.class).refresh().toString();
			Health health = health(follower);
			assertThat(health.getStatus()).isEqualTo(Status.UP);
			assertThat(followerDetail(health)).containsEntry("position", reached);
		});
	}

	private static Health health(AssertableApplicationContext context) {
		return context.getBean(S3liteHealthIndicator.class).health(true);
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> followerDetail(Health health) {
		return (Map<String, Object>) health.getDetails().get("follower");
	}

	private static double lag(MeterRegistry registry) {
		return registry.get("s3lite.follower.lag").timeGauge().value();
	}

	private ApplicationContextRunner follower(String endpoint, String prefix, String... properties) {
		// another instance holds the lease for the whole test, so the follower stays one
		s3.putObject(BUCKET, prefix + "/lock.json",
				new LeaseRecord(1, Instant.now().plus(Duration.ofMinutes(10)), "elsewhere").toJson());
		return ReplicatedApp.runner(this.dir.resolve("follower/app.db"), "s3://" + BUCKET + "/" + prefix, endpoint)
			.withConfiguration(AutoConfigurations.of(S3liteHealthContributorAutoConfiguration.class,
					S3liteMetricsAutoConfiguration.class))
			.withPropertyValues("s3lite.engine=native", "s3lite.lease.enabled=true", "s3lite.lease.owner=follower",
					"s3lite.health.max-lag=" + MAX_LAG.toMillis() + "ms")
			.withPropertyValues(properties);
	}

	private ApplicationContextRunner writer(String prefix) {
		return ReplicatedApp.runner(this.dir.resolve("writer/app.db"), "s3://" + BUCKET + "/" + prefix, s3.endpoint())
			.withPropertyValues("s3lite.engine=native", "s3lite.lease.enabled=false");
	}

	private static String prefix() {
		return "db-" + UUID.randomUUID();
	}

}
