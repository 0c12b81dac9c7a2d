package io.github.s3lite.internal.follow;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

import ch.qos.logback.classic.Level;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.jdbc.core.JdbcTemplate;

import io.github.s3lite.datasource.ReplicatingDataSource;
import io.github.s3lite.internal.config.S3Connection;
import io.github.s3lite.internal.lease.LeaseRecord;
import io.github.s3lite.internal.lease.LeaseRole;
import io.github.s3lite.internal.lease.WriterMark;
import io.github.s3lite.internal.nativeengine.format.LitestreamV03Format;
import io.github.s3lite.internal.nativeengine.format.RestorePlan;
import io.github.s3lite.internal.storage.S3ClientFactory;
import io.github.s3lite.internal.storage.S3ReplicaStore;
import io.github.s3lite.reliability.ReplicatedApp;
import io.github.s3lite.test.IndependentRestore;
import io.github.s3lite.test.S3ProxyServer;
import io.github.s3lite.testapp.CapturedLog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Promotion from a caught-up follower is immediate (issue 23): a follower that takes the lease installs
 * its follow file as the database when, advanced once more, it ends where the previous writer sealed the
 * replica, and continues that generation as a restore would have; without a seal, when it ends where a
 * restore would, and starts a new generation as a restore would have; a follow file that cannot get
 * there is left for a restore. Both engines, S3Proxy, the litestream binary as the oracle.
 */
class PromotionFromFollowFileTests {

	private static final String BUCKET = "promotion";

	private static final Duration GUARD = Duration.ofSeconds(60);

	private static final String INSTALLED = "from the follow file at";

	private static final String RESTORED = "by a restore";

	@RegisterExtension
	static final S3ProxyServer s3 = S3ProxyServer.withBucket(BUCKET);

	@TempDir
	Path dir;

	@ParameterizedTest
	@ValueSource(strings = { "litestream", "native" })
	void aCaughtUpFollowerPromotedByAHandOverInstallsItsFollowFileAndContinuesTheGenerationWithEveryRow(
			String engine) {
		String prefix = "handover-" + engine + "-" + UUID.randomUUID();
		try (CapturedLog log = CapturedLog.of("io.github.s3lite.internal.restore", Level.INFO)) {
			app(engine, prefix, "first").run((first) -> {
				JdbcTemplate writes = first.getBean(JdbcTemplate.class);
				ReplicatingDataSource writer = first.getBean(ReplicatingDataSource.class);
				ReplicatedApp.insert(writes, 1, 10);
				writer.sync(ReplicatedApp.SYNC_TIMEOUT);
				// a rolling deploy: the second instance asks for the lease at its first poll (ttl/6 = 5 s)
				app(engine, prefix, "second").run((second) -> {
					ReplicatingDataSource follower = second.getBean(ReplicatingDataSource.class);
					await().atMost(GUARD).until(() -> follower.refresh().reached(writer.status().replicatedPosition()));
					assertThat(role(second).status().role()).as("caught up before the hand-over").isEqualTo("follower");
					// committed after the follower caught up: uploaded by the hand-over's flush at the latest
					ReplicatedApp.insert(writes, 11, 20);
					log.clear();
					await().atMost(GUARD).until(() -> role(second).isWriter());
					assertThat(catchUpLines(log)).singleElement().asString().contains(INSTALLED);
					assertThat(ids(second.getBean(JdbcTemplate.class))).hasSize(20);
					ReplicatedApp.insert(second.getBean(JdbcTemplate.class), 21, 30);
					follower.sync(ReplicatedApp.SYNC_TIMEOUT);
				});
			});
		}
		assertThat(generations(prefix)).as("the generation was continued").hasSize(1);
		assertRestoredRows(prefix, engine, 30);
	}

	@ParameterizedTest
	@ValueSource(strings = { "litestream", "native" })
	void aFollowerTakingOverALeaseLeftWithoutASealInstallsItsFollowFileAndStartsANewGenerationAsARestoreWould(
			String engine) {
		String prefix = "unsealed-" + engine + "-" + UUID.randomUUID();
		holdLease(prefix, Instant.now().plus(Duration.ofMinutes(10)));
		loneWriter(engine, prefix, "crashed").run((crashed) -> ReplicatedApp.insert(crashed.getBean(JdbcTemplate.class),
				1, 10));
		Set<String> before = generations(prefix);
		try (CapturedLog log = CapturedLog.of("io.github.s3lite.internal.restore", Level.INFO)) {
			app(engine, prefix, "successor").run((successor) -> {
				assertThat(successor.getBean(ReplicatingDataSource.class).refresh()).isNotNull();
				log.clear();
				holdLease(prefix, Instant.now().minusSeconds(1));
				await().atMost(GUARD).until(() -> role(successor).isWriter());
				assertThat(catchUpLines(log)).singleElement().asString().contains(INSTALLED);
				JdbcTemplate jdbc = successor.getBean(JdbcTemplate.class);
				ReplicatedApp.insert(jdbc, 11, 15);
				successor.getBean(ReplicatingDataSource.class).sync(ReplicatedApp.SYNC_TIMEOUT);
			});
		}
		String old = before.iterator().next();
		assertThat(generations(prefix)).as("a new generation, the unsealed one superseded").hasSize(2).contains(old);
		assertThat(s3.keys(BUCKET, prefix + "/generations/" + old + "/")).contains(
				prefix + "/generations/" + old + "/s3lite-superseded");
		assertRestoredRows(prefix, engine, 15);
	}

	@ParameterizedTest
	@ValueSource(strings = { "litestream", "native" })
	void aFollowFileBehindTheReplicasNewGenerationIsLeftForARestoreAndNoRowIsLost(String engine) {
		String prefix = "behind-" + engine + "-" + UUID.randomUUID();
		holdLease(prefix, Instant.now().plus(Duration.ofMinutes(10)));
		loneWriter(engine, prefix, "old").run((old) -> ReplicatedApp.insert(old.getBean(JdbcTemplate.class), 1, 10));
		try (CapturedLog log = CapturedLog.of("io.github.s3lite.internal.restore", Level.INFO)) {
			app(engine, prefix, "follower", "s3lite.follower.refresh-interval=0").run((follower) -> {
				assertThat(follower).hasNotFailed();
				assertThat(follower.getBean(ReplicatingDataSource.class).refresh()).as("the follow file's position")
					.isNotNull();
				// a writer on a fresh disk starts a new generation; the follow file stays in the old one
				ReplicatedApp.awaitNextSecond();
				loneWriter(engine, prefix, "new").run((fresh) -> ReplicatedApp.insert(fresh.getBean(JdbcTemplate.class),
						101, 105));
				s3.putObject(BUCKET, prefix + "/" + WriterMark.KEY,
						("{\"writer\":\"new\",\"end\":\"" + replicaEnd(prefix) + "\"}").getBytes());
				log.clear();
				holdLease(prefix, Instant.now().minusSeconds(1));
				await().atMost(GUARD).until(() -> role(follower).isWriter());
				assertThat(catchUpLines(log)).hasSize(2)
					.anySatisfy((line) -> assertThat(line).contains("by a restore: the follow file"))
					.anySatisfy((line) -> assertThat(line).contains(RESTORED + ": replaced"));
				JdbcTemplate jdbc = follower.getBean(JdbcTemplate.class);
				assertThat(ids(jdbc)).containsExactly(101, 102, 103, 104, 105);
				ReplicatedApp.insert(jdbc, 106, 110);
				follower.getBean(ReplicatingDataSource.class).sync(ReplicatedApp.SYNC_TIMEOUT);
			});
		}
		assertRestoredRows(prefix, engine, 10);
	}

	/** The catch-up's lines: which path it took, and why not the follow file. */
	private static List<String> catchUpLines(CapturedLog log) {
		return log.lines(Level.INFO)
			.stream()
			.filter((line) -> line.contains("Caught up with") || line.contains("Catching up with"))
			.toList();
	}

	private void assertRestoredRows(String prefix, String engine, long rows) {
		Path restored = IndependentRestore.fromS3(s3, BUCKET, prefix, this.dir.resolve("check-" + engine + ".db"));
		assertThat(IndependentRestore.integrityCheck(restored)).isEqualTo("ok");
		assertThat(IndependentRestore.count(restored, "items")).isEqualTo(rows);
	}

	/** Another instance holds the lease until {@code until}; once it is past, the lease can be taken. */
	private static void holdLease(String prefix, Instant until) {
		s3.putObject(BUCKET, prefix + "/lock.json", new LeaseRecord(1, until, "elsewhere").toJson());
	}

	/** Where a restore of the replica ends now, as a writer seals it. */
	private static String replicaEnd(String prefix) {
		LitestreamV03Format format = new LitestreamV03Format();
		try (S3ReplicaStore store = new S3ReplicaStore(
				S3ClientFactory.create(S3Connection.of(s3.endpoint(), null, null, S3ProxyServer.ACCESS_KEY,
						S3ProxyServer.SECRET_KEY)),
				BUCKET, prefix, S3ReplicaStore.DEFAULT_PART_SIZE, true)) {
			return format.planRestore(format.list(store)).map(RestorePlan::endKey).orElseThrow();
		}
		catch (java.io.IOException ex) {
			throw new java.io.UncheckedIOException(ex);
		}
	}

	private ApplicationContextRunner app(String engine, String prefix, String owner, String... properties) {
		return ReplicatedApp.runner(this.dir.resolve(owner + "-" + engine + "/app.db"), "s3://" + BUCKET + "/" + prefix,
				s3.endpoint())
			.withPropertyValues("s3lite.engine=" + engine, "s3lite.lease.enabled=true", "s3lite.lease.owner=" + owner,
					"s3lite.follower.refresh-interval=200ms")
			.withPropertyValues(properties);
	}

	private ApplicationContextRunner loneWriter(String engine, String prefix, String name) {
		return ReplicatedApp
			.runner(this.dir.resolve(name + "-" + engine + "/app.db"), "s3://" + BUCKET + "/" + prefix, s3.endpoint())
			.withPropertyValues("s3lite.engine=" + engine, "s3lite.lease.enabled=false", "s3lite.restore-from=");
	}

	private static Set<String> generations(String prefix) {
		Set<String> generations = new TreeSet<>();
		for (String key : s3.keys(BUCKET, prefix + "/generations/")) {
			generations.add(key.substring((prefix + "/generations/").length()).split("/")[0]);
		}
		return generations;
	}

	private static List<Integer> ids(JdbcTemplate jdbc) {
		return jdbc.queryForList("SELECT id FROM items ORDER BY id", Integer.class);
	}

	private static LeaseRole role(AssertableApplicationContext context) {
		return context.getBean(LeaseRole.class);
	}

}
