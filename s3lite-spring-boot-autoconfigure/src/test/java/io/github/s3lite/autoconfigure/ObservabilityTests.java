package io.github.s3lite.autoconfigure;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.awaitility.Awaitility;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.HealthIndicator;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.JdbcTemplateAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.jdbc.core.JdbcTemplate;

import io.github.s3lite.actuate.S3liteEndpoint;
import io.github.s3lite.datasource.ReplicatingDataSource;
import io.github.s3lite.internal.metrics.S3liteMetrics;
import io.github.s3lite.replication.ReplicationException;
import io.github.s3lite.reliability.ReplicatedApp;
import io.github.s3lite.test.IndependentRestore;
import io.github.s3lite.test.S3ProxyServer;
import io.github.s3lite.internal.verification.ReplicaVerifier;
import io.github.s3lite.internal.verification.VerificationResult;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Health, metrics, the ops endpoint and verification against a real S3 API and the real binary.
 */
class ObservabilityTests {

	private static final String BUCKET = "s3lite-observability";

	@RegisterExtension
	static final S3ProxyServer s3 = S3ProxyServer.withBucket(BUCKET);

	@TempDir
	Path dir;

	private String prefix;

	@BeforeEach
	void names(TestInfo info) {
		this.prefix = "db/" + info.getTestMethod().orElseThrow().getName();
	}

	private ApplicationContextRunner app(String... properties) {
		String replica = "s3://" + BUCKET + "/" + this.prefix;
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(S3liteAutoConfiguration.class,
					S3liteHealthContributorAutoConfiguration.class, S3liteMetricsAutoConfiguration.class,
					S3liteEndpointAutoConfiguration.class, DataSourceAutoConfiguration.class,
					JdbcTemplateAutoConfiguration.class))
			.withPropertyValues(s3.s3liteProperties(this.dir.resolve("app.sqlite3"), replica))
			.withPropertyValues("management.endpoints.web.exposure.include=s3lite",
					"s3lite.migrations[0]=CREATE TABLE IF NOT EXISTS items (id INTEGER PRIMARY KEY)")
			.withPropertyValues(properties);
	}

	private static void insert(JdbcTemplate jdbc, int from, int to) {
		for (int i = from; i <= to; i++) {
			jdbc.update("INSERT INTO items (id) VALUES (?)", i);
		}
	}

	private static void await(String what, Duration timeout, Callable<Boolean> condition) {
		Awaitility.await(what).atMost(timeout).until(condition);
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> litestreamDetails(Health health) {
		return (Map<String, Object>) health.getDetails().get("litestream");
	}

	@Test
	void healthIsUpWithNoLagAfterWritesAndSync() {
		app().run((context) -> {
			insert(context.getBean(JdbcTemplate.class), 1, 20);
			context.getBean(ReplicatingDataSource.class).sync(Duration.ofSeconds(20));
			HealthIndicator indicator = context.getBean("s3liteHealthIndicator", HealthIndicator.class);
			await("health UP and in sync", Duration.ofSeconds(10), () -> indicator.health().getStatus().equals(Status.UP)
					&& Boolean.TRUE.equals(indicator.health().getDetails().get("inSync")));
			Health health = indicator.health();
			assertThat(health.getStatus()).isEqualTo(Status.UP);
			Map<String, Object> details = health.getDetails();
			assertThat(details).containsEntry("replicating", true)
				.containsEntry("inSync", true)
				.containsEntry("lagBytes", 0L)
				.containsEntry("engine", "litestream")
				.containsEntry("replica", "s3://" + BUCKET + "/" + this.prefix)
				.containsKeys("lastSyncTime", "sinceLastSync");
			assertThat(litestreamDetails(health)).containsEntry("restarts", 0L)
				.containsEntry("version", "v0.3.13")
				.containsKeys("pid", "startedAt", "generation");
			assertThat(details.get("localPosition")).isEqualTo(details.get("replicaPosition"));
			assertThat(details.toString()).doesNotContain(S3ProxyServer.SECRET_KEY);
		});
	}

	@Test
	void anS3OutageTurnsHealthDownAfterMaxLagAndEverythingIsReplicatedOnceItEnds() {
		app("s3lite.health.max-lag=2s").run((context) -> {
			JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
			ReplicatingDataSource dataSource = context.getBean(ReplicatingDataSource.class);
			HealthIndicator indicator = context.getBean("s3liteHealthIndicator", HealthIndicator.class);
			insert(jdbc, 1, 10);
			dataSource.sync(Duration.ofSeconds(20));
			s3.stop();
			try {
				insert(jdbc, 11, 200);
				assertThat(jdbc.queryForObject("SELECT count(*) FROM items", Integer.class)).isEqualTo(200);
				await("lag to grow", Duration.ofSeconds(20), () -> dataSource.status().lagBytes() > 0);
				await("health DOWN", Duration.ofSeconds(30),
						() -> indicator.health().getStatus().equals(Status.DOWN));
				assertThat(indicator.health().getDetails()).containsKey("reason");
				assertThatExceptionOfType(ReplicationException.class)
					.isThrownBy(() -> dataSource.sync(Duration.ofSeconds(2)));
			}
			finally {
				s3.restart();
			}
			await("health UP again", Duration.ofSeconds(60), () -> indicator.health().getStatus().equals(Status.UP)
					&& dataSource.status().inSync());
			dataSource.sync(Duration.ofSeconds(30));
			Path restored = IndependentRestore.fromS3(s3, BUCKET, this.prefix, this.dir.resolve("restored.db"));
			assertThat(IndependentRestore.count(restored, "items")).isEqualTo(200);
		});
	}

	@Test
	void healthShowsARestartOfAKilledLitestreamThenIsUpAgain() {
		app().run((context) -> {
			ReplicatingDataSource dataSource = context.getBean(ReplicatingDataSource.class);
			HealthIndicator indicator = context.getBean("s3liteHealthIndicator", HealthIndicator.class);
			insert(context.getBean(JdbcTemplate.class), 1, 5);
			dataSource.sync(Duration.ofSeconds(20));
			ProcessHandle litestream = ProcessHandle.of(ReplicatedApp.litestreamPid(dataSource.status())).orElseThrow();
			litestream.destroyForcibly();
			litestream.onExit().join();
			await("the restart", Duration.ofSeconds(20), () -> dataSource.status().engineCounter("restarts") == 1);
			insert(context.getBean(JdbcTemplate.class), 6, 6);
			dataSource.sync(Duration.ofSeconds(20));
			await("health UP", Duration.ofSeconds(10), () -> indicator.health().getStatus().equals(Status.UP)
					&& Boolean.TRUE.equals(indicator.health().getDetails().get("inSync")));
			assertThat(litestreamDetails(indicator.health())).containsEntry("restarts", 1L);
		});
	}

	@Test
	void verificationReportsVerifiedOnAHealthyReplicaAndFailedWhenThePrefixIsEmptied() {
		app().run((context) -> {
			insert(context.getBean(JdbcTemplate.class), 1, 5);
			ReplicaVerifier verifier = context.getBean(ReplicaVerifier.class);
			VerificationResult verified = verifier.verify();
			assertThat(verified.outcome()).as(verified.detail()).isEqualTo(VerificationResult.Outcome.VERIFIED);
			JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
			assertThat(jdbc.queryForObject("SELECT count(*) FROM " + ReplicaVerifier.TABLE, Integer.class)).isZero();
			assertThat(Files.list(Path.of(System.getProperty("java.io.tmpdir")))
				.filter((file) -> file.getFileName().toString().startsWith("s3lite-verify-"))).isEmpty();
			s3.deletePrefix(BUCKET, this.prefix);
			VerificationResult failed = verifier.verify();
			assertThat(failed.outcome()).isEqualTo(VerificationResult.Outcome.FAILED);
			assertThat(context.getBean("s3liteHealthIndicator", HealthIndicator.class).health().getDetails())
				.extractingByKey("verification")
				.asString()
				.contains("FAILED");
		});
	}

	@Test
	void verificationReportsLaggingWhenTheReplicaIsUnreachable() {
		app("s3lite.verification.timeout=1500ms").run((context) -> {
			ReplicaVerifier verifier = context.getBean(ReplicaVerifier.class);
			context.getBean(ReplicatingDataSource.class).sync(Duration.ofSeconds(20));
			s3.stop();
			try {
				VerificationResult result = verifier.verify();
				assertThat(result.outcome()).isIn(VerificationResult.Outcome.LAGGING, VerificationResult.Outcome.FAILED);
				assertThat(result.outcome()).isNotEqualTo(VerificationResult.Outcome.VERIFIED);
			}
			finally {
				s3.restart();
			}
		});
	}

	@Test
	void metricsReflectKnownWritesSyncsAndTheRestore() {
		app().run((context) -> {
			insert(context.getBean(JdbcTemplate.class), 1, 3);
			ReplicatingDataSource dataSource = context.getBean(ReplicatingDataSource.class);
			dataSource.sync(Duration.ofSeconds(20));
			dataSource.sync(Duration.ofSeconds(20));
		});
		S3liteAutoConfigurationTests.deleteDatabase(this.dir.resolve("app.sqlite3"));
		app().run((context) -> {
			MeterRegistry registry = new SimpleMeterRegistry();
			context.getBean(S3liteMetrics.class).bindTo(registry);
			ReplicatingDataSource dataSource = context.getBean(ReplicatingDataSource.class);
			insert(context.getBean(JdbcTemplate.class), 4, 6);
			dataSource.sync(Duration.ofSeconds(20));
			dataSource.sync(Duration.ofSeconds(20));
			await("in sync", Duration.ofSeconds(10), () -> dataSource.status().inSync());
			String replica = "s3://" + BUCKET + "/" + this.prefix;
			assertThat(registry.get("s3lite.sync").tag("outcome", "success").tag("replica", replica).timer().count())
				.isEqualTo(2);
			assertThat(registry.get("s3lite.replication.lag").gauge().value()).isZero();
			assertThat(registry.get("s3lite.replication.in.sync").gauge().value()).isEqualTo(1);
			assertThat(registry.get("s3lite.replication.syncs").tag("engine", "litestream").functionCounter().count())
				.isGreaterThanOrEqualTo(2);
			assertThat(registry.get("s3lite.litestream.restarts").functionCounter().count()).isZero();
			assertThat(registry.get("s3lite.restore.size").tag("outcome", "RESTORED").gauge().value())
				.isGreaterThan(0);
			assertThat(registry.get("s3lite.restore.duration").timeGauge().value()).isGreaterThan(0);
			assertThat(Double.isNaN(registry.get("s3lite.verification.status").gauge().value())).isTrue();
			assertThat(context.getBean(JdbcTemplate.class).queryForObject("SELECT count(*) FROM items", Integer.class))
				.isEqualTo(6);
		});
	}

	@Test
	void theOpsEndpointReportsStatusAndRunsSyncAndVerify() {
		app().run((context) -> {
			insert(context.getBean(JdbcTemplate.class), 1, 2);
			S3liteEndpoint endpoint = context.getBean(S3liteEndpoint.class);
			Map<String, Object> sync = endpoint.run("sync", "20s");
			assertThat(sync).containsEntry("outcome", "SYNCED").containsKey("status");
			assertThat(endpoint.run(null, "soon")).containsEntry("outcome", "REJECTED");
			assertThat(endpoint.run("verify", null)).containsEntry("outcome", "VERIFIED");
			assertThat(endpoint.status()).containsEntry("replicating", true).containsKey("verification");
		});
	}

	@Test
	void healthIsUpAndSaysSoWhenReplicationIsNotConfigured() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(S3liteAutoConfiguration.class,
					S3liteHealthContributorAutoConfiguration.class, DataSourceAutoConfiguration.class))
			.withPropertyValues("s3lite.path=" + this.dir.resolve("plain.sqlite3"))
			.run((context) -> {
				Health health = context.getBean("s3liteHealthIndicator", HealthIndicator.class).health();
				assertThat(health.getStatus()).isEqualTo(Status.UP);
				assertThat(health.getDetails()).containsEntry("replication",
						"not configured (s3lite.backup-to is not set)");
			});
	}

	@Test
	void theHealthIndicatorCanBeDisabled() {
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(S3liteAutoConfiguration.class,
					S3liteHealthContributorAutoConfiguration.class, DataSourceAutoConfiguration.class))
			.withPropertyValues("s3lite.path=" + this.dir.resolve("plain.sqlite3"), "management.health.s3lite.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean("s3liteHealthIndicator"));
	}

}
