package io.github.s3lite.internal.nativeengine;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.stream.Stream;

import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.Named;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import io.github.s3lite.internal.config.ReplicaUrl;
import io.github.s3lite.internal.config.S3Connection;
import io.github.s3lite.internal.nativeengine.format.GenerationListing;
import io.github.s3lite.internal.nativeengine.format.LitestreamV03Format;
import io.github.s3lite.internal.nativeengine.format.ReplicaFormat;
import io.github.s3lite.internal.nativeengine.format.ReplicaListing;
import io.github.s3lite.internal.nativeengine.format.SnapshotInfo;
import io.github.s3lite.internal.nativeengine.format.WalSegmentInfo;
import io.github.s3lite.internal.replication.WalPosition;
import io.github.s3lite.internal.storage.ReplicaStore;
import io.github.s3lite.internal.storage.ReplicaStoreFactory;
import io.github.s3lite.test.IndependentRestore;
import io.github.s3lite.test.S3ProxyServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The replica format against its oracle, the real litestream v0.3.13: what the native writer stores
 * is restored by {@code litestream restore}, and what {@code litestream replicate} stores is restored
 * by {@link NativeRestore}, on S3 (S3Proxy) and on {@code file:} replicas, across several WAL indexes.
 */
class CrossRestoreTests {

	private static final String BUCKET = "cross-restore";

	@RegisterExtension
	static final S3ProxyServer s3 = S3ProxyServer.withBucket(BUCKET);

	private final ReplicaFormat format = new LitestreamV03Format();

	@TempDir
	Path dir;

	static Stream<Arguments> replicas() {
		return Stream.of(Arguments.of(Named.of("s3", "s3")), Arguments.of(Named.of("file", "file")));
	}

	private ReplicaUrl replicaUrl(String kind) {
		String name = "db-" + UUID.randomUUID();
		return ReplicaUrl.parse("test",
				kind.equals("s3") ? "s3://" + BUCKET + "/" + name : "file:" + this.dir.resolve("replicas").resolve(name));
	}

	private static S3Connection s3Connection() {
		return S3Connection.of(s3.endpoint(), null, null, S3ProxyServer.ACCESS_KEY, S3ProxyServer.SECRET_KEY);
	}

	@ParameterizedTest
	@MethodSource("replicas")
	void aReplicaWrittenByTheNativeWriterAcrossCheckpointsIsRestoredByLitestream(String kind) throws Exception {
		ReplicaUrl url = replicaUrl(kind);
		try (SqliteTestDatabase db = new SqliteTestDatabase(this.dir.resolve("app.db"));
				ReplicaStore store = ReplicaStoreFactory.open(url, s3Connection());
				ReplicaWriter writer = ReplicaWriter.open(db.file(), store, this.format)) {
			db.insert(100, 200);
			writer.startGeneration();
			db.insert(50, 300);
			writer.ship();
			db.insert(50, 300);
			writer.ship();
			writer.checkpoint();
			db.insert(200, 300);
			writer.ship();
			writer.checkpoint();
			db.insert(10, 100);
			writer.ship();
			writer.snapshot();
			db.insert(30, 100);
			writer.ship();
			writer.checkpoint();
			db.insert(5, 100);
			WalPosition position = writer.ship();

			// every checkpoint copies the whole WAL, so the next write restarts it: a new index each time
			assertThat(position.index()).isEqualTo(4);
			GenerationListing generation = onlyGeneration(this.format.list(store));
			assertThat(generation.generation()).isEqualTo(position.generation());
			assertThat(generation.snapshots()).extracting(SnapshotInfo::index).containsExactly(0L, 2L);
			assertThat(walIndexes(generation)).containsExactly(0L, 1L, 2L, 3L, 4L);

			Path byLitestream = this.dir.resolve("litestream-restored.db");
			LitestreamOracle.restore(url, s3Connection(), byLitestream, Files.createDirectories(this.dir.resolve("work")));
			assertThat(IndependentRestore.integrityCheck(byLitestream)).isEqualTo("ok");
			assertThat(SqliteTestDatabase.fingerprint(byLitestream)).isEqualTo(db.fingerprint()).startsWith("445 rows");

			Path byNative = this.dir.resolve("native-restored.db");
			NativeRestoreResult result = new NativeRestore(store, this.format, 4).restore(byNative);
			assertThat(result.restored()).isTrue();
			// like litestream: the newest snapshot by last-modified time, the lower index on a tie (S3 has seconds)
			assertThat(result.snapshotIndex()).isIn(0L, 2L);
			assertThat(result.targetIndex()).isEqualTo(4);
			assertThat(SqliteTestDatabase.fingerprint(byNative)).isEqualTo(db.fingerprint());
		}
	}

	@ParameterizedTest
	@MethodSource("replicas")
	void aReplicaWrittenByLitestreamAcrossCheckpointsIsRestoredByTheNativeRestore(String kind) throws Exception {
		ReplicaUrl url = replicaUrl(kind);
		Path work = Files.createDirectories(this.dir.resolve("work"));
		try (SqliteTestDatabase db = new SqliteTestDatabase(this.dir.resolve("app.db"));
				ReplicaStore store = ReplicaStoreFactory.open(url, s3Connection())) {
			db.insert(10, 100);
			Process litestream = LitestreamOracle.replicate(db.file(), url, s3Connection(), 20, work);
			try {
				awaitIndexes(store, 1, work, "litestream's first WAL segment");
				int first = newestWalIndexCount(store);
				for (int batch = 1; batch <= 4; batch++) {
					db.insert(100, 1000);
					awaitIndexes(store, first + batch, work, "litestream to checkpoint after batch " + batch);
				}
				int segments = segmentCount(store);
				db.insert(7, 100);
				await("litestream to upload the last rows").atMost(Duration.ofSeconds(60))
					.pollInterval(Duration.ofMillis(100))
					.until(() -> segmentCount(store) > segments);
			}
			finally {
				// v0.3.13 may exit 1 when SIGTERM interrupts its own checkpoint ("release read lock: context
				// canceled"), after its final upload: the restored content below is the check
				LitestreamOracle.stop(litestream);
			}

			Path byNative = this.dir.resolve("native-restored.db");
			NativeRestoreResult result = new NativeRestore(store, this.format, 4).restore(byNative);
			assertThat(result.restored()).isTrue();
			assertThat(result.targetIndex()).isGreaterThanOrEqualTo(4);
			assertThat(IndependentRestore.integrityCheck(byNative)).isEqualTo("ok");
			assertThat(SqliteTestDatabase.fingerprint(byNative)).as(LitestreamOracle.log(work))
				.isEqualTo(db.fingerprint())
				.startsWith("417 rows");

			Path byLitestream = this.dir.resolve("litestream-restored.db");
			LitestreamOracle.restore(url, s3Connection(), byLitestream, work);
			assertThat(SqliteTestDatabase.fingerprint(byLitestream)).isEqualTo(db.fingerprint());
		}
	}

	private void awaitIndexes(ReplicaStore store, int indexes, Path work, String what) throws Exception {
		try {
			await(what).atMost(Duration.ofSeconds(60))
				.pollInterval(Duration.ofMillis(100))
				.until(() -> newestWalIndexCount(store) >= indexes);
		}
		catch (ConditionTimeoutException ex) {
			throw new AssertionError(ex.getMessage() + "\nlitestream's log:\n" + LitestreamOracle.log(work), ex);
		}
	}

	private int segmentCount(ReplicaStore store) throws Exception {
		return onlyGeneration(this.format.list(store)).segments().size();
	}

	private int newestWalIndexCount(ReplicaStore store) throws Exception {
		ReplicaListing listing = this.format.list(store);
		return listing.generations().isEmpty() ? 0 : walIndexes(onlyGeneration(listing)).size();
	}

	private static GenerationListing onlyGeneration(ReplicaListing listing) {
		assertThat(listing.generations()).hasSize(1);
		return listing.generations().get(0);
	}

	private static Set<Long> walIndexes(GenerationListing generation) {
		Set<Long> indexes = new TreeSet<>();
		generation.segments().stream().map(WalSegmentInfo::index).forEach(indexes::add);
		return indexes;
	}

}
