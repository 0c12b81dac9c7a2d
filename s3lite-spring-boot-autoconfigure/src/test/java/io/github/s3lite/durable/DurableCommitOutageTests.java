package io.github.s3lite.durable;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.jdbc.core.JdbcTemplate;

import io.github.s3lite.health.S3liteHealthIndicator;
import io.github.s3lite.replication.DurableCommitStats;
import io.github.s3lite.replication.NotReplicatedException;
import io.github.s3lite.replication.Replication;
import io.github.s3lite.test.S3ProxyServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.awaitility.Awaitility.await;

/**
 * Durable commits while the S3 server is down: the commit in flight throws the documented exception
 * (committed locally), later writes fail fast (nothing written), reads keep working and health is DOWN;
 * once the server is back, writes are accepted again and everything committed locally is in the
 * replica.
 */
class DurableCommitOutageTests {

	private static final String BUCKET = "durable-outage";

	@RegisterExtension
	static final S3ProxyServer s3 = S3ProxyServer.withBucket(BUCKET);

	@TempDir
	Path dir;

	@Test
	void aCommitDuringAnOutageThrowsNewWritesFailFastAndRecoveryShipsEverythingCommittedLocally() {
		DurableApp.runner(this.dir.resolve("data/app.sqlite3"), s3, BUCKET, "db")
			.withPropertyValues("s3lite.durable-commit-timeout=2s")
			.run((context) -> {
				JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
				S3liteHealthIndicator health = new S3liteHealthIndicator(context.getBean(Replication.class),
						Duration.ofMinutes(5), () -> null, Clock.systemUTC())
					.withDurableCommits(DurableApp.durable(context));
				jdbc.update("INSERT INTO items (id, name) VALUES (1, 'before')");
				assertThat(health.health(true).getDetails()).containsEntry("commits", "durable");
				s3.stop();
				try {
					NotReplicatedException inFlight = notReplicated(
							() -> jdbc.update("INSERT INTO items (id, name) VALUES (2, 'during')"));
					assertThat(inFlight.isCommittedLocally()).isTrue();
					assertThat(inFlight.getSQLState()).isEqualTo(NotReplicatedException.SQL_STATE);
					assertThat(inFlight.getMessage()).contains("committed locally but not yet in the replica")
						.contains("will be shipped when the replica is reachable");
					NotReplicatedException refused = notReplicated(
							() -> jdbc.update("INSERT INTO items (id, name) VALUES (3, 'refused')"));
					assertThat(refused.isCommittedLocally()).isFalse();
					assertThat(refused.getMessage()).contains("nothing was written");
					assertThat(jdbc.queryForObject("SELECT count(*) FROM items", Long.class)).isEqualTo(2);
					Health down = health.health(true);
					assertThat(down.getStatus()).isEqualTo(Status.DOWN);
					DurableCommitStats during = DurableApp.stats(context);
					assertThat(during.failing()).isTrue();
					assertThat(during.notReplicated()).isEqualTo(1);
					assertThat(during.refusedWrites()).isEqualTo(1);
				}
				finally {
					s3.restart();
				}
				await("writes to be accepted again").atMost(Duration.ofSeconds(30))
					.until(() -> DurableApp.durable(context).acceptingWrites());
				jdbc.update("INSERT INTO items (id, name) VALUES (4, 'after')");
				assertThat(health.health(true).getStatus()).isEqualTo(Status.UP);
				assertThat(DurableApp.replicatedItems(s3, BUCKET, "db", this.dir.resolve("r.db"))).isEqualTo(3);
			});
	}

	private static NotReplicatedException notReplicated(Runnable write) {
		Throwable thrown = catchThrowable(write::run);
		for (Throwable cause = thrown; cause != null; cause = cause.getCause()) {
			if (cause instanceof NotReplicatedException notReplicated) {
				return notReplicated;
			}
		}
		throw new AssertionError("expected a NotReplicatedException in the cause chain", thrown);
	}

}
