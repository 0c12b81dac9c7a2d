package io.github.s3lite.internal.lease;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;

import io.github.s3lite.replication.NotWriterException;
import io.github.s3lite.actuate.S3liteEndpoint;
import io.github.s3lite.autoconfigure.S3liteHealthContributorAutoConfiguration;
import io.github.s3lite.datasource.ReplicatingDataSource;
import io.github.s3lite.internal.datasource.WriteGate;
import io.github.s3lite.health.S3liteHealthIndicator;
import io.github.s3lite.reliability.ReplicatedApp;
import io.github.s3lite.replication.Replication;
import io.github.s3lite.internal.verification.ReplicaVerifier;
import io.github.s3lite.test.S3ProxyServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * Followers in whole applications (the litestream engine, S3Proxy): an instance that starts while
 * another holds the lease serves reads, refuses writes, and becomes the writer by hand-over, by release
 * or by expiry, catching up with everything the previous writer replicated before its first write.
 */
class FollowerTests {

	private static final String BUCKET = "followers";

	private static final Duration GUARD = Duration.ofSeconds(60);

	@RegisterExtension
	static final S3ProxyServer s3 = S3ProxyServer.withBucket(BUCKET);

	@TempDir
	Path dir;

	@Test
	void aSecondInstanceFollowsThenTakesOverByHandOverAndTheFirstTakesItBackWhenTheSecondStops() {
		String prefix = prefix();
		List<Integer> acknowledged = new ArrayList<>();
		app(prefix, "first").run((a) -> {
			assertThat(a).hasNotFailed();
			JdbcTemplate first = a.getBean(JdbcTemplate.class);
			ReplicatedApp.insert(first, 1, 5);
			acknowledged.addAll(List.of(1, 2, 3, 4, 5));
			a.getBean(ReplicatingDataSource.class).sync(ReplicatedApp.SYNC_TIMEOUT);
			app(prefix, "second").run((b) -> {
				assertThat(b).hasNotFailed();
				JdbcTemplate second = b.getBean(JdbcTemplate.class);
				assertThat(count(second)).as("restored while following").isGreaterThanOrEqualTo(5);
				for (int id = 6; id <= 40; id++) {
					if (tryInsert(first, id) || tryInsert(second, id)) {
						acknowledged.add(id);
					}
				}
				await().atMost(GUARD).until(() -> role(b).isWriter());
				assertThat(role(a).status().role()).isEqualTo("follower");
				assertThat(role(a).status().lastHandover()).startsWith("to 'second' at ");
				assertThat(role(b).status().lastHandover()).startsWith("from 'first' at ");
				for (int id = 41; id <= 45; id++) {
					if (tryInsert(second, id)) {
						acknowledged.add(id);
					}
				}
				assertThat(ids(second)).as("caught up before the first write").containsExactlyElementsOf(acknowledged);
				assertThatExceptionOfType(DataAccessException.class).isThrownBy(() -> ReplicatedApp.insert(first, 99, 99))
					.withCauseInstanceOf(NotWriterException.class)
					.withMessageContaining("is a follower");
				assertThat(count(first)).as("the follower keeps serving reads").isPositive();
				Health followerHealth = a.getBean(S3liteHealthIndicator.class).health(true);
				assertThat(followerHealth.getStatus()).isEqualTo(Status.UP);
				assertThat(followerHealth.getDetails().get("lease").toString()).contains("role=follower");
				assertThat(b.getBean(S3liteHealthIndicator.class).health(true).getStatus()).isEqualTo(Status.UP);
			});
			await().atMost(GUARD).until(() -> role(a).isWriter());
			assertThat(ids(first)).as("taken back after the second released").containsExactlyElementsOf(acknowledged);
			ReplicatedApp.insert(first, 46, 46);
			acknowledged.add(46);
		});
		app(prefix, "third").run((c) -> assertThat(ids(c.getBean(JdbcTemplate.class))).containsExactlyElementsOf(acknowledged));
	}

	@Test
	void aFollowerTakesOverALeaseWhoseHolderVanishedOnceItExpires() throws Exception {
		String prefix = prefix();
		app(prefix, "before").run((a) -> ReplicatedApp.insert(a.getBean(JdbcTemplate.class), 1, 3));
		LeaseRecord crashed = new LeaseRecord(9, Instant.now().plus(Duration.ofSeconds(4)), "crashed");
		s3.putObject(BUCKET, prefix + "/lock.json", crashed.toJson());
		app(prefix, "successor").run((b) -> {
			assertThat(b).hasNotFailed();
			assertThat(role(b).status().role()).isEqualTo("follower");
			assertThat(role(b).status().holder()).isEqualTo("crashed");
			await().atMost(GUARD).until(() -> role(b).isWriter());
			assertThat(role(b).status().generation()).isEqualTo(10);
			JdbcTemplate jdbc = b.getBean(JdbcTemplate.class);
			ReplicatedApp.insert(jdbc, 4, 4);
			assertThat(ids(jdbc)).containsExactly(1, 2, 3, 4);
		});
	}

	@Test
	void theOpsEndpointShowsTheLeaseAndOnlyAFollowerMayAskForAHandOver() {
		String prefix = prefix();
		app(prefix, "writer").run((a) -> {
			S3liteEndpoint writer = endpoint(a);
			assertThat(writer.status().get("lease").toString()).contains("role=writer", "owner=writer");
			assertThat(writer.run("handover", null)).containsEntry("outcome", S3liteEndpoint.REJECTED);
			assertThat(writer.run("nonsense", null)).containsEntry("outcome", S3liteEndpoint.REJECTED);
			app(prefix, "follower").run((b) -> {
				assertThat(endpoint(b).run("handover", null)).containsEntry("outcome", "REQUESTED");
				await().atMost(GUARD).until(() -> role(b).isWriter());
				assertThat(endpoint(a).status().get("lease").toString()).contains("role=follower", "handovers=1",
						"lastHandover=to 'follower' at ");
			});
		});
	}

	private static S3liteEndpoint endpoint(AssertableApplicationContext context) {
		return new S3liteEndpoint(context.getBean(Replication.class), context.getBean(ReplicaVerifier.class),
				Clock.systemUTC(), role(context));
	}

	private ApplicationContextRunner app(String prefix, String owner) {
		return ReplicatedApp.runner(this.dir.resolve(owner + "/app.db"), "s3://" + BUCKET + "/" + prefix, s3.endpoint())
			.withConfiguration(AutoConfigurations.of(S3liteHealthContributorAutoConfiguration.class))
			.withPropertyValues("s3lite.lease.enabled=true", "s3lite.lease.owner=" + owner, "s3lite.lease.ttl=6s");
	}

	private static boolean tryInsert(JdbcTemplate jdbc, int id) {
		try {
			jdbc.update("INSERT INTO items (id, name) VALUES (?, 'row')", id);
			return true;
		}
		catch (DataAccessException ex) {
			assertThat(ex).hasCauseInstanceOf(NotWriterException.class);
			return false;
		}
	}

	private static int count(JdbcTemplate jdbc) {
		return jdbc.queryForObject("SELECT count(*) FROM items", Integer.class);
	}

	private static List<Integer> ids(JdbcTemplate jdbc) {
		return jdbc.queryForList("SELECT id FROM items ORDER BY id", Integer.class);
	}

	private static LeaseRole role(AssertableApplicationContext context) {
		return context.getBean(LeaseRole.class);
	}

	private static String prefix() {
		return "db-" + UUID.randomUUID();
	}

}
