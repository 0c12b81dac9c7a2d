package io.github.s3lite.internal.nativeengine;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

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

/**
 * Retention on a real replica (S3Proxy): old generations and snapshots go, and the real
 * {@code litestream restore} v0.3.13 still restores the whole database from what is left.
 */
class RetentionTests {

	private static final String BUCKET = "retention";

	private static final Duration RETENTION = Duration.ofHours(24);

	@RegisterExtension
	static final S3ProxyServer s3 = S3ProxyServer.withBucket(BUCKET);

	private final ReplicaFormat format = new LitestreamV03Format();

	@TempDir
	Path dir;

	@Test
	void aReplicaWithinItsRetentionKeepsEveryGenerationAndSnapshot() throws Exception {
		ReplicaUrl url = ReplicaUrl.parse("test", "s3://" + BUCKET + "/db-" + UUID.randomUUID());
		try (SqliteTestDatabase db = new SqliteTestDatabase(this.dir.resolve("app.db"));
				ReplicaStore store = ReplicaStoreFactory.open(url, s3Connection());
				ReplicaWriter writer = ReplicaWriter.open(db.file(), store, this.format)) {
			writeHistory(db, writer);
			int before = store.list("").size();
			assertThat(enforcer(writer, store, Clock.systemUTC()).enforce()).isZero();
			assertThat(store.list("")).hasSize(before);
		}
	}

	@Test
	void oldGenerationsAndSnapshotsArePrunedAndLitestreamStillRestoresEverything() throws Exception {
		ReplicaUrl url = ReplicaUrl.parse("test", "s3://" + BUCKET + "/db-" + UUID.randomUUID());
		try (SqliteTestDatabase db = new SqliteTestDatabase(this.dir.resolve("app.db"));
				ReplicaStore store = ReplicaStoreFactory.open(url, s3Connection());
				ReplicaWriter writer = ReplicaWriter.open(db.file(), store, this.format)) {
			String oldGeneration = writeHistory(db, writer);
			WalPosition current = writer.position();
			assertThat(this.format.list(store).generations()).hasSize(2);

			// a day and an hour later, nothing is within the retention: a snapshot is written first
			Clock later = Clock.fixed(Instant.now().plus(RETENTION).plus(Duration.ofHours(1)), ZoneOffset.UTC);
			assertThat(enforcer(writer, store, later).enforce()).isPositive();

			ReplicaListing listing = this.format.list(store);
			assertThat(listing.generations()).extracting(GenerationListing::generation)
				.containsExactly(current.generation())
				.doesNotContain(oldGeneration);
			GenerationListing kept = listing.generations().get(0);
			long newestSnapshot = kept.snapshots().stream().mapToLong(SnapshotInfo::index).max().orElseThrow();
			assertThat(kept.snapshots()).extracting(SnapshotInfo::index).containsOnly(newestSnapshot);
			assertThat(kept.segments()).extracting(WalSegmentInfo::index).allMatch((index) -> index >= newestSnapshot);

			db.insert(20, 100);
			writer.ship();
			Path restored = this.dir.resolve("restored.db");
			LitestreamOracle.restore(url, s3Connection(), restored, Files.createDirectories(this.dir.resolve("work")));
			assertThat(IndependentRestore.integrityCheck(restored)).isEqualTo("ok");
			assertThat(SqliteTestDatabase.fingerprint(restored)).isEqualTo(db.fingerprint());
		}
	}

	/** An old generation, then a current one with snapshots across several WAL indexes. */
	private String writeHistory(SqliteTestDatabase db, ReplicaWriter writer) throws Exception {
		db.insert(50, 200);
		String old = writer.startGeneration().generation();
		db.insert(50, 200);
		writer.ship();
		writer.startGeneration();
		for (int round = 0; round < 3; round++) {
			db.insert(40, 300);
			writer.ship();
			writer.checkpoint();
			db.insert(10, 300);
			writer.snapshot();
		}
		db.insert(10, 100);
		writer.ship();
		return old;
	}

	private RetentionEnforcer enforcer(ReplicaWriter writer, ReplicaStore store, Clock clock) {
		return new RetentionEnforcer(writer, store, this.format, RETENTION, clock);
	}

	private static S3Connection s3Connection() {
		return S3Connection.of(s3.endpoint(), null, null, S3ProxyServer.ACCESS_KEY, S3ProxyServer.SECRET_KEY);
	}


}
