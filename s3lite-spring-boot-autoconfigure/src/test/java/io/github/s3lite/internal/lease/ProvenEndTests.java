package io.github.s3lite.internal.lease;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.jdbc.core.JdbcTemplate;

import io.github.s3lite.internal.config.S3Connection;
import io.github.s3lite.datasource.ReplicatingDataSource;
import io.github.s3lite.internal.nativeengine.NativeRestore;
import io.github.s3lite.internal.nativeengine.NativeRestoreResult;
import io.github.s3lite.internal.nativeengine.format.LitestreamV03Format;
import io.github.s3lite.reliability.ReplicatedApp;
import io.github.s3lite.internal.storage.S3ClientFactory;
import io.github.s3lite.internal.storage.S3ReplicaStore;
import io.github.s3lite.test.IndependentRestore;
import io.github.s3lite.test.S3ProxyServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A writer continues the generation it restored only from the end its predecessor proved, for every
 * engine: a writer that stops cleanly seals {@code last-writer.json} with where the replica ends and its
 * successor, restoring on a fresh disk, continues there; a predecessor that left no seal (a crash, a
 * fence) or a restore that never reaches the sealed end makes the successor start a new generation, and
 * no row is lost either way.
 */
@ExtendWith(OutputCaptureExtension.class)
class ProvenEndTests {

	private static final String BUCKET = "proven-end";

	@RegisterExtension
	static final S3ProxyServer s3 = S3ProxyServer.withBucket(BUCKET);

	@TempDir
	Path dir;

	@ParameterizedTest
	@ValueSource(strings = { "litestream", "native" })
	void aCleanlyStoppedWriterIsContinuedButOneThatLeftNoSealMakesItsSuccessorStartANewGeneration(String engine) {
		String prefix = "seal-" + engine + "-" + UUID.randomUUID();
		app(engine, prefix, "first").run((context) -> ReplicatedApp.insert(context.getBean(JdbcTemplate.class), 1, 10));
		assertThat(mark(prefix)).contains("\"end\":\"generations/");
		Set<String> first = generations(prefix);
		assertThat(first).hasSize(1);
		app(engine, prefix, "second").run((context) -> {
			assertThat(count(context.getBean(JdbcTemplate.class))).isEqualTo(10);
			ReplicatedApp.insert(context.getBean(JdbcTemplate.class), 11, 20);
		});
		assertThat(generations(prefix)).as("the sealed end was continued").isEqualTo(first);
		// what a writer that crashed leaves behind: its claim, without an end
		s3.putObject(BUCKET, prefix + "/last-writer.json", "{\"writer\":\"crashed\"}".getBytes(StandardCharsets.UTF_8));
		Instant newerSecond = Instant.now().plusSeconds(1).truncatedTo(ChronoUnit.SECONDS);
		app(engine, prefix, "third").run((context) -> {
			assertThat(count(context.getBean(JdbcTemplate.class))).isEqualTo(20);
			// S3 times are in seconds, and the litestream CLI restores the generation with the newest object
			await("a newer second").atMost(Duration.ofSeconds(3)).until(() -> Instant.now().isAfter(newerSecond));
			ReplicatedApp.insert(context.getBean(JdbcTemplate.class), 21, 30);
			context.getBean(ReplicatingDataSource.class).sync(ReplicatedApp.SYNC_TIMEOUT);
			assertThat(generations(prefix)).as("a new generation after an unproven end").hasSize(2).containsAll(first);
		});
		assertRestoredRows(prefix, engine, 30);
	}

	@ParameterizedTest
	@ValueSource(strings = { "litestream", "native" })
	void aStaleWritersLateUploadIntoASupersededGenerationIsNeverWhatS3litesRestoreReturns(String engine)
			throws Exception {
		String prefix = "late-" + engine + "-" + UUID.randomUUID();
		app(engine, prefix, "first").run((context) -> ReplicatedApp.insert(context.getBean(JdbcTemplate.class), 1, 10));
		Set<String> stale = generations(prefix);
		s3.putObject(BUCKET, prefix + "/last-writer.json", "{\"writer\":\"crashed\"}".getBytes(StandardCharsets.UTF_8));
		app(engine, prefix, "second").run((context) -> {
			ReplicatedApp.insert(context.getBean(JdbcTemplate.class), 11, 20);
			context.getBean(ReplicatingDataSource.class).sync(ReplicatedApp.SYNC_TIMEOUT);
		});
		String old = stale.iterator().next();
		assertThat(s3.keys(BUCKET, prefix + "/generations/" + old + "/")).contains(
				prefix + "/generations/" + old + "/s3lite-superseded");
		// the frozen first writer thaws and uploads once more into its own generation (its snapshot again); S3
		// times are in seconds: the late object is newer than anything the second writer uploaded
		String snapshot = s3.keys(BUCKET, prefix + "/generations/" + old + "/snapshots/").get(0);
		Instant newerSecond = Instant.now().plusSeconds(1).truncatedTo(ChronoUnit.SECONDS);
		await("a newer second").atMost(Duration.ofSeconds(3)).until(() -> Instant.now().isAfter(newerSecond));
		s3.putObject(BUCKET, snapshot, s3.getObject(BUCKET, snapshot));
		Path restored = this.dir.resolve("native-" + engine + ".db");
		try (S3ReplicaStore store = store(prefix)) {
			NativeRestoreResult result = new NativeRestore(store, new LitestreamV03Format(), 2).restore(restored);
			assertThat(result.generation()).as("the second writer's generation").isNotEqualTo(old);
		}
		assertThat(IndependentRestore.count(restored, "items")).isEqualTo(20);
	}

	@ParameterizedTest
	@ValueSource(strings = { "litestream", "native" })
	void aRestoreThatNeverReachesTheSealedEndIsMadeAgainAndThenStartsANewGenerationWithEveryRow(String engine,
			CapturedOutput output) {
		String prefix = "lag-" + engine + "-" + UUID.randomUUID();
		app(engine, prefix, "first").run((context) -> ReplicatedApp.insert(context.getBean(JdbcTemplate.class), 1, 10));
		// a seal the listing never shows (as a listing that lags behind the last uploads would)
		s3.putObject(BUCKET, prefix + "/last-writer.json",
				"{\"writer\":\"w\",\"end\":\"generations/0123456789abcdef/wal/ffffffff_00000000.wal.lz4\"}"
					.getBytes(StandardCharsets.UTF_8));
		app(engine, prefix, "second").run((context) -> {
			assertThat(count(context.getBean(JdbcTemplate.class))).isEqualTo(10);
			ReplicatedApp.insert(context.getBean(JdbcTemplate.class), 11, 12);
			context.getBean(ReplicatingDataSource.class).sync(ReplicatedApp.SYNC_TIMEOUT);
			assertThat(generations(prefix)).hasSize(2);
		});
		assertThat(output).contains("restoring again (attempt 2 of 6)")
			.contains("never reached where the previous writer recorded it stopped");
		assertRestoredRows(prefix, engine, 12);
	}

	@ParameterizedTest
	@ValueSource(strings = { "litestream", "native" })
	void aLocalFileWithoutAWriterMarkFailsStartupNamingItAndTheReplicaInsteadOfBecomingTheNewestHistory(
			String engine) throws Exception {
		String prefix = "backup-copy-" + engine + "-" + UUID.randomUUID();
		app(engine, prefix, "first").run((context) -> ReplicatedApp.insert(context.getBean(JdbcTemplate.class), 1, 5));
		// a copy of the stopped database from a volume backup: the file alone, without its writer mark
		Path copy = this.dir.resolve("second-" + engine + "/app.db");
		Files.createDirectories(copy.getParent());
		Files.copy(this.dir.resolve("first-" + engine + "/app.db"), copy);
		app(engine, prefix, "first").run((context) -> ReplicatedApp.insert(context.getBean(JdbcTemplate.class), 6, 10));
		Set<String> generations = generations(prefix);
		app(engine, prefix, "second").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.hasMessageContaining("The local database " + copy + " carries no writer mark")
				.hasMessageContaining("Move " + copy + " away");
		});
		assertThat(IndependentRestore.count(copy, "items")).as("the copy, untouched").isEqualTo(5);
		assertThat(generations(prefix)).as("no new generation from the copy").isEqualTo(generations);
		Files.move(copy, copy.resolveSibling("app.db.from-backup"));
		app(engine, prefix, "second").run((context) -> {
			assertThat(count(context.getBean(JdbcTemplate.class))).as("the replica's newest state").isEqualTo(10);
			ReplicatedApp.insert(context.getBean(JdbcTemplate.class), 11, 12);
		});
		assertRestoredRows(prefix, engine, 12);
	}

	@Test
	void aNativeWriterSealsItsOwnLastUploadWhileTheListingLagsAndItsSuccessorRestoresUntilItReachesIt() {
		// seen in the fault harness with listings that lag (seed 1008): the seal was read from a listing that
		// did not show the writer's last uploads yet, so a successor could continue the generation over them
		String prefix = "lagging-" + UUID.randomUUID();
		try {
			app("native", prefix, "first").run((context) -> {
				ReplicatedApp.insert(context.getBean(JdbcTemplate.class), 1, 10);
				context.getBean(ReplicatingDataSource.class).sync(ReplicatedApp.SYNC_TIMEOUT);
				s3.lagListings(Duration.ofSeconds(6));
				ReplicatedApp.insert(context.getBean(JdbcTemplate.class), 11, 20);
				context.getBean(ReplicatingDataSource.class).sync(ReplicatedApp.SYNC_TIMEOUT);
			});
			String sealed = sealedEnd(prefix);
			app("native", prefix, "second").run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(count(context.getBean(JdbcTemplate.class))).isEqualTo(20);
			});
			s3.lagListings(Duration.ZERO);
			await("every upload listed").atMost(Duration.ofSeconds(15))
				.until(() -> s3.keys(BUCKET, prefix + "/generations/").contains(prefix + "/" + sealed));
			assertThat(s3.keys(BUCKET, prefix + "/generations/").stream().filter((key) -> key.contains("/wal/")))
				.as("the first writer's last upload").contains(prefix + "/" + sealed);
			assertThat(generations(prefix)).as("the sealed end was continued").hasSize(1);
			assertRestoredRows(prefix, "native", 20);
		}
		finally {
			s3.lagListings(Duration.ZERO);
		}
	}

	@Test
	void aPromotionThatFailsBeforeItWritesLeavesThePredecessorsSealedEndForTheNextWriterToReach() throws Exception {
		// seen in the fault harness with listings that lag (seed 3052): a follower's promotion claimed the replica,
		// replacing the seal, and failed on the lagging listing; the sealed writer took the lease back, restored
		// from the still-lagging listing and started a new generation without its own last upload
		String prefix = "claimed-" + UUID.randomUUID();
		try {
			app("native", prefix, "first").run((context) -> {
				ReplicatedApp.insert(context.getBean(JdbcTemplate.class), 1, 10);
				context.getBean(ReplicatingDataSource.class).sync(ReplicatedApp.SYNC_TIMEOUT);
				// every upload from now on shows in listings 10 s after it was written, in order
				s3.lagListings(Duration.ofSeconds(10), Duration.ofSeconds(10));
				ReplicatedApp.insert(context.getBean(JdbcTemplate.class), 11, 20);
				context.getBean(ReplicatingDataSource.class).sync(ReplicatedApp.SYNC_TIMEOUT);
			});
			String sealed = sealedEnd(prefix);
			try (S3ReplicaStore store = store(prefix)) {
				// a follower's promotion claims the replica and fails before it writes (its restore met a gap)
				new WriterMark(store, () -> true).tryClaim(this.dir.resolve("claimant/app.db"), false);
			}
			assertThat(mark(prefix)).as("the failed claim").doesNotContain("\"end\"");
			app("native", prefix, "first").run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(count(context.getBean(JdbcTemplate.class))).as("restored up to the sealed end").isEqualTo(20);
			});
			s3.lagListings(Duration.ZERO);
			await("every upload listed").atMost(Duration.ofSeconds(15))
				.until(() -> s3.keys(BUCKET, prefix + "/generations/").contains(prefix + "/" + sealed));
			assertRestoredRows(prefix, "native", 20);
		}
		finally {
			s3.lagListings(Duration.ZERO);
		}
	}

	private static S3ReplicaStore store(String prefix) {
		return new S3ReplicaStore(
				S3ClientFactory.create(S3Connection.of(s3.endpoint(), null, null, S3ProxyServer.ACCESS_KEY,
						S3ProxyServer.SECRET_KEY)),
				BUCKET, prefix, S3ReplicaStore.DEFAULT_PART_SIZE, true);
	}

	private static String sealedEnd(String prefix) {
		Matcher end = Pattern.compile("\"end\":\"([^\"]+)\"").matcher(mark(prefix));
		assertThat(end.find()).as("sealed: %s", mark(prefix)).isTrue();
		return end.group(1);
	}

	private void assertRestoredRows(String prefix, String engine, long rows) {
		Path restored = IndependentRestore.fromS3(s3, BUCKET, prefix, this.dir.resolve("check-" + engine + ".db"));
		assertThat(IndependentRestore.integrityCheck(restored)).isEqualTo("ok");
		assertThat(IndependentRestore.count(restored, "items")).isEqualTo(rows);
	}

	private ApplicationContextRunner app(String engine, String prefix, String owner) {
		return ReplicatedApp
			.runner(this.dir.resolve(owner + "-" + engine + "/app.db"), "s3://" + BUCKET + "/" + prefix, s3.endpoint())
			.withPropertyValues("s3lite.engine=" + engine, "s3lite.lease.enabled=true", "s3lite.lease.owner=" + owner);
	}

	private static String mark(String prefix) {
		return new String(s3.getObject(BUCKET, prefix + "/last-writer.json"), StandardCharsets.UTF_8);
	}

	private static Set<String> generations(String prefix) {
		Set<String> generations = new TreeSet<>();
		for (String key : s3.keys(BUCKET, prefix + "/generations/")) {
			generations.add(key.substring((prefix + "/generations/").length()).split("/")[0]);
		}
		return generations;
	}

	private static long count(JdbcTemplate jdbc) {
		return jdbc.queryForObject("SELECT count(*) FROM items", Long.class);
	}

}
