package io.github.s3lite.internal.follow;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.jdbc.core.JdbcTemplate;

import io.github.s3lite.datasource.ReplicatingDataSource;
import io.github.s3lite.internal.lease.LeaseRecord;
import io.github.s3lite.internal.replication.ReplicaPositions;
import io.github.s3lite.internal.replication.WalPosition;
import io.github.s3lite.reliability.ReplicatedApp;
import io.github.s3lite.replication.ReplicaPosition;
import io.github.s3lite.test.S3ProxyServer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Read-your-writes through the Java API (issue 23), each engine as the writer: the writer's
 * {@code currentPosition()} covers a commit as soon as it is committed, before the engine captured or
 * uploaded it, and a follower's {@code awaitPosition(...)} refreshes until its readers see that commit,
 * or answers {@code false} at the timeout for a position the replica never reaches.
 */
class ReadYourWritesTests {

	private static final String BUCKET = "read-your-writes";

	@RegisterExtension
	static final S3ProxyServer s3 = S3ProxyServer.withBucket(BUCKET);

	@TempDir
	Path dir;

	@ParameterizedTest
	@ValueSource(strings = { "litestream", "native" })
	void theWritersPositionCoversACommitAtOnceAndTheReplicaReachesItOnceSynced(String engine) {
		loneWriter(engine, prefix()).run((writer) -> {
			ReplicatingDataSource pool = writer.getBean(ReplicatingDataSource.class);
			JdbcTemplate jdbc = writer.getBean(JdbcTemplate.class);
			ReplicatedApp.insert(jdbc, 1, 1);
			pool.sync(ReplicatedApp.SYNC_TIMEOUT);
			ReplicaPosition before = pool.currentPosition();
			assertThat(pool.status().replicatedPosition().reached(before)).as("synced: the replica holds " + before)
				.isTrue();
			ReplicatedApp.insert(jdbc, 2, 2);
			ReplicaPosition after = pool.currentPosition();
			assertThat(before.reached(after)).as(before + " is behind " + after + ", which holds the new row").isFalse();
			assertThat(ReplicaPositions.parse(after.toString())).isEqualTo(after);
			pool.sync(ReplicatedApp.SYNC_TIMEOUT);
			ReplicaPosition replicated = pool.status().replicatedPosition();
			assertThat(replicated.reached(after)).as(replicated + " reached " + after).isTrue();
		});
	}

	@ParameterizedTest
	@ValueSource(strings = { "litestream", "native" })
	void aFollowerThatDoesNotRefreshOnItsOwnRefreshesUntilItsReadersSeeTheWritersCommit(String engine) {
		String prefix = prefix();
		holdLeaseElsewhere(prefix);
		loneWriter(engine, prefix).run((writer) -> {
			JdbcTemplate writes = writer.getBean(JdbcTemplate.class);
			ReplicatedApp.insert(writes, 1, 3);
			writer.getBean(ReplicatingDataSource.class).sync(ReplicatedApp.SYNC_TIMEOUT);
			follower(engine, prefix, "s3lite.follower.refresh-interval=0").run((follower) -> {
				assertThat(follower).hasNotFailed();
				ReplicatingDataSource followerPool = follower.getBean(ReplicatingDataSource.class);
				JdbcTemplate reads = follower.getBean(JdbcTemplate.class);
				assertThat(count(reads)).isEqualTo(3);
				ReplicatedApp.insert(writes, 4, 4);
				ReplicaPosition written = writer.getBean(ReplicatingDataSource.class).currentPosition();
				assertThat(followerPool.awaitPosition(written, ReplicatedApp.SYNC_TIMEOUT)).isTrue();
				assertThat(count(reads)).as("the row committed before " + written).isEqualTo(4);
				assertThat(followerPool.currentPosition().reached(written)).isTrue();
			});
		});
	}

	@Test
	void aPositionTheReplicaNeverReachesEndsTheWaitFalseAtTheTimeout() {
		String engine = "native";
		String prefix = prefix();
		holdLeaseElsewhere(prefix);
		loneWriter(engine, prefix).run((writer) -> {
			ReplicatedApp.insert(writer.getBean(JdbcTemplate.class), 1, 3);
			writer.getBean(ReplicatingDataSource.class).sync(ReplicatedApp.SYNC_TIMEOUT);
			follower(engine, prefix, "s3lite.follower.refresh-interval=200ms").run((follower) -> {
				ReplicatingDataSource followerPool = follower.getBean(ReplicatingDataSource.class);
				WalPosition now = (WalPosition) followerPool.refresh();
				WalPosition ahead = new WalPosition(now.generation(), now.index() + 1000, 0);
				WalPosition elsewhere = new WalPosition("fedcba9876543210", 0, 32);
				assertThat(followerPool.awaitPosition(ahead, Duration.ofMillis(500))).isFalse();
				assertThat(followerPool.awaitPosition(elsewhere, Duration.ofMillis(500))).isFalse();
				assertThat(followerPool.awaitPosition(now, Duration.ZERO)).isTrue();
				assertThat(count(follower.getBean(JdbcTemplate.class))).isEqualTo(3);
			});
		});
	}

	private static void holdLeaseElsewhere(String prefix) {
		s3.putObject(BUCKET, prefix + "/lock.json",
				new LeaseRecord(1, Instant.now().plus(Duration.ofMinutes(10)), "elsewhere").toJson());
	}

	private ApplicationContextRunner follower(String engine, String prefix, String... properties) {
		return ReplicatedApp.runner(this.dir.resolve("follower/app.db"), "s3://" + BUCKET + "/" + prefix, s3.endpoint())
			.withPropertyValues("s3lite.engine=" + engine, "s3lite.lease.enabled=true", "s3lite.lease.owner=follower")
			.withPropertyValues(properties);
	}

	private ApplicationContextRunner loneWriter(String engine, String prefix) {
		return ReplicatedApp.runner(this.dir.resolve("writer/app.db"), "s3://" + BUCKET + "/" + prefix, s3.endpoint())
			.withPropertyValues("s3lite.engine=" + engine, "s3lite.lease.enabled=false");
	}

	private static int count(JdbcTemplate jdbc) {
		return jdbc.queryForObject("SELECT count(*) FROM items", Integer.class);
	}

	private static String prefix() {
		return "db-" + UUID.randomUUID();
	}

}
