package io.github.s3lite.internal.lease;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;

import io.github.s3lite.replication.NotWriterException;
import io.github.s3lite.autoconfigure.S3liteHealthContributorAutoConfiguration;
import io.github.s3lite.internal.config.S3Connection;
import io.github.s3lite.datasource.ReplicatingDataSource;
import io.github.s3lite.internal.datasource.WriteGate;
import io.github.s3lite.health.S3liteHealthIndicator;
import io.github.s3lite.reliability.ReplicatedApp;
import io.github.s3lite.internal.storage.S3ClientFactory;
import io.github.s3lite.internal.storage.S3ReplicaStore;
import io.github.s3lite.test.BlackholeProxy;
import io.github.s3lite.test.ConditionalWritesRefusingProxy;
import io.github.s3lite.test.S3ProxyServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * The lease in whole applications (the litestream engine, S3Proxy with conditional writes evaluated):
 * never two writers on one replica, fencing when the lease is stolen or cannot be renewed, and a clear
 * startup error from a provider without conditional writes.
 */
class SingleWriterTests {

	private static final String BUCKET = "single-writer";

	@RegisterExtension
	static final S3ProxyServer s3 = S3ProxyServer.withBucket(BUCKET);

	@TempDir
	Path dir;

	@Test
	void aSecondInstanceStartsAsAFollowerNamingTheHolderAndNeverWritesWhileTheFirstHoldsTheLease() throws IOException {
		String prefix = prefix();
		ApplicationContextRunner first = app(prefix, "first", s3.endpoint(), "s3lite.lease.ttl=30s");
		ApplicationContextRunner second = app(prefix, "second", s3.endpoint(), "s3lite.lease.ttl=30s");
		first.run((a) -> {
			assertThat(a).hasNotFailed();
			ReplicatedApp.insert(a.getBean(JdbcTemplate.class), 1, 5);
			a.getBean(ReplicatingDataSource.class).sync(ReplicatedApp.SYNC_TIMEOUT);
			second.run((b) -> {
				assertThat(b).hasNotFailed();
				assertThat(keeper(b).isWriter()).isFalse();
				assertThat(keeper(b).status().holder()).isEqualTo("first");
				assertThatExceptionOfType(DataAccessException.class)
					.isThrownBy(() -> ReplicatedApp.insert(b.getBean(JdbcTemplate.class), 100, 100))
					.havingCause()
					.isInstanceOf(NotWriterException.class)
					.withMessageContaining("not the writer of s3://" + BUCKET + "/" + prefix + "/lock.json")
					.withMessageContaining("held by 'first' until ")
					.withMessageContaining("(generation 1)");
			});
			assertThat(keeper(a).isWriter()).isTrue();
			ReplicatedApp.insert(a.getBean(JdbcTemplate.class), 6, 10);
		});
		assertThat(LeaseRecord.parse(s3.getObject(BUCKET, prefix + "/lock.json")).isExpiredAt(Instant.now()))
			.as("released at shutdown")
			.isTrue();
		second.run((b) -> {
			assertThat(b).hasNotFailed();
			assertThat(keeper(b).status().role()).isEqualTo("writer");
			assertThat(b.getBean(JdbcTemplate.class).queryForObject("SELECT count(*) FROM items", Integer.class))
				.isEqualTo(10);
			ReplicatedApp.insert(b.getBean(JdbcTemplate.class), 11, 11);
		});
		try (Stream<Path> files = Files.list(this.dir.resolve("second"))) {
			assertThat(files.map((file) -> file.getFileName().toString()))
				.as("the follower's stale file, replaced at the restart and kept aside")
				.anyMatch((name) -> name.startsWith("app.db.s3lite-replaced-"));
		}
	}

	@Test
	void aStolenLeaseFencesTheHolderWithinARenewalPeriodRefusesItsCommitsServesReadsAndFollowsTheThief()
			throws Exception {
		String prefix = prefix();
		app(prefix, "holder", s3.endpoint(), "s3lite.lease.ttl=3s").run((context) -> {
			JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
			ReplicatedApp.insert(jdbc, 1, 3);
			try (Connection inFlight = context.getBean(ReplicatingDataSource.class).getConnection()) {
				inFlight.setAutoCommit(false);
				try (Statement statement = inFlight.createStatement()) {
					statement.executeUpdate("INSERT INTO items (id, name) VALUES (100, 'in flight')");
				}
				LeaseRecord thief = new LeaseRecord(7, Instant.now().plus(Duration.ofHours(1)), "thief");
				s3.putObject(BUCKET, prefix + "/lock.json", thief.toJson());
				await().atMost(Duration.ofSeconds(3)).until(() -> !keeper(context).isWriter());
				assertThatExceptionOfType(NotWriterException.class).isThrownBy(inFlight::commit)
					.withMessageContaining("held by 'thief' until")
					.satisfies((ex) -> assertThat(ex.getSQLState()).isEqualTo("25006"));
				inFlight.setAutoCommit(true);
			}
			assertThatExceptionOfType(DataAccessException.class)
				.isThrownBy(() -> jdbc.update("INSERT INTO items (id, name) VALUES (4, 'late')"))
				.withCauseInstanceOf(NotWriterException.class);
			assertThat(jdbc.queryForObject("SELECT count(*) FROM items", Integer.class)).isEqualTo(3);
			// a lost lease is lost for good: the fenced writer follows the new holder
			await("the demotion").atMost(Duration.ofSeconds(3))
				.until(() -> "follower".equals(keeper(context).status().role()));
			LeaseStatus status = keeper(context).status();
			assertThat(status.holder()).isEqualTo("thief");
			Health health = context.getBean(S3liteHealthIndicator.class).health(true);
			assertThat(health.getDetails().get("lease").toString()).contains("role=follower", "holder=thief");
		});
	}

	@Test
	void aHolderWhoseRenewalsAreBlackholedFencesBeforeItsLeaseExpires() throws IOException {
		String prefix = prefix();
		try (BlackholeProxy proxy = BlackholeProxy.forward(s3.port());
				S3ReplicaStore direct = new S3ReplicaStore(
						S3ClientFactory.create(S3Connection.of(s3.endpoint(), null, null, S3ProxyServer.ACCESS_KEY,
								S3ProxyServer.SECRET_KEY)),
						BUCKET, prefix, S3ReplicaStore.DEFAULT_PART_SIZE, true)) {
			app(prefix, "holder", proxy.endpoint(), "s3lite.lease.ttl=6s", "s3lite.shutdown-sync-timeout=1s",
					"s3lite.litestream.shutdown-timeout=1s")
				.run((context) -> {
					JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
					ReplicatedApp.insert(jdbc, 1, 2);
					await().atMost(Duration.ofSeconds(10)).until(() -> keeper(context).status().renewals() >= 1);
					proxy.blackhole();
					await().atMost(Duration.ofSeconds(10)).until(() -> !keeper(context).isWriter());
					LeaseStatus status = keeper(context).status();
					LeaseRecord inTheBucket = new ReplicaLease(direct, "reader", new LeaseTiming(Duration.ofSeconds(6)),
							java.time.Clock.systemUTC())
						.readHolder()
						.orElseThrow();
					assertThat(status.fencedAt()).isBefore(inTheBucket.expiresAt());
					assertThat(inTheBucket.owner()).isEqualTo("holder");
					assertThatExceptionOfType(DataAccessException.class)
						.isThrownBy(() -> jdbc.update("INSERT INTO items (id, name) VALUES (3, 'late')"))
						.withCauseInstanceOf(NotWriterException.class);
					assertThat(jdbc.queryForObject("SELECT count(*) FROM items", Integer.class)).isEqualTo(2);
				});
		}
	}

	@Test
	void aProviderThatRefusesConditionalWritesFailsStartupNamingItsAnswerAndTheWayOut() {
		try (ConditionalWritesRefusingProxy proxy = ConditionalWritesRefusingProxy.forward(s3.port())) {
			app(prefix(), "holder", proxy.endpoint()).run((context) -> {
				assertThat(context).hasFailed();
				Throwable failure = context.getStartupFailure();
				while (!(failure instanceof LeaseException) && failure.getCause() != null) {
					failure = failure.getCause();
				}
				assertThat(failure).isInstanceOf(LeaseException.class)
					.hasMessageContaining("HTTP 501")
					.hasMessageContaining(ConditionalWritesRefusingProxy.MESSAGE)
					.hasMessageContaining("s3lite.lease.enabled=false");
			});
			assertThat(proxy.refused()).isPositive();
		}
	}

	@Test
	void theLeaseIsTakenByDefaultWheneverBackupToIsSet() {
		String prefix = prefix();
		ReplicatedApp.runner(this.dir.resolve("default.db"), "s3://" + BUCKET + "/" + prefix, s3.endpoint())
			.run((context) -> {
				assertThat(keeper(context).isWriter()).isTrue();
				assertThat(s3.keys(BUCKET, prefix + "/lock.json")).hasSize(1);
			});
	}

	@Test
	void withTheLeaseDisabledNoLeaseIsTakenAndWritesAreNeverGated() {
		String prefix = prefix();
		ReplicatedApp.runner(this.dir.resolve("plain.db"), "s3://" + BUCKET + "/" + prefix, s3.endpoint())
			.withPropertyValues("s3lite.lease.enabled=false")
			.run((context) -> {
				assertThat(context).doesNotHaveBean(LeaseRole.class);
				assertThat(context.getBean(WriteGate.class).isWriter()).isTrue();
				ReplicatedApp.insert(context.getBean(JdbcTemplate.class), 1, 1);
				assertThat(s3.keys(BUCKET, prefix + "/lock.json")).isEmpty();
			});
	}

	private ApplicationContextRunner app(String prefix, String owner, String endpoint, String... properties) {
		return ReplicatedApp.runner(this.dir.resolve(owner + "/app.db"), "s3://" + BUCKET + "/" + prefix, endpoint)
			.withConfiguration(AutoConfigurations.of(S3liteHealthContributorAutoConfiguration.class))
			.withPropertyValues("s3lite.lease.enabled=true", "s3lite.lease.owner=" + owner)
			.withPropertyValues(properties);
	}

	private static LeaseRole keeper(AssertableApplicationContext context) {
		return context.getBean(LeaseRole.class);
	}

	private static String prefix() {
		return "db-" + UUID.randomUUID();
	}

}
