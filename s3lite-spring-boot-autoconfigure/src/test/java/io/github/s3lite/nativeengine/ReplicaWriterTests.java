package io.github.s3lite.nativeengine;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.s3lite.nativeengine.format.LitestreamV03Format;
import io.github.s3lite.nativeengine.format.ReplicaFormat;
import io.github.s3lite.replication.WalPosition;
import io.github.s3lite.storage.FileReplicaStore;
import io.github.s3lite.storage.ReplicaStore;
import io.github.s3lite.storage.StoredObject;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The replica writer's positions and its refusal to continue a generation it cannot prove (file
 * replica, fast; the format itself is proven against litestream in {@link CrossRestoreTests}).
 */
class ReplicaWriterTests {

	private final ReplicaFormat format = new LitestreamV03Format();

	@TempDir
	Path dir;

	@Test
	void aNewGenerationStartsWithASnapshotAndShipsOnlyCommittedBytesAfterIt() throws Exception {
		try (SqliteTestDatabase db = new SqliteTestDatabase(this.dir.resolve("app.db"));
				ReplicaStore store = new FileReplicaStore(this.dir.resolve("replica"));
				ReplicaWriter writer = ReplicaWriter.open(db.file(), store, this.format)) {
			db.insert(10, 100);
			WalPosition start = writer.startGeneration();
			assertThat(start.index()).isZero();
			assertThat(start.offset()).as("the TRUNCATE checkpoint left nothing to ship").isZero();
			assertThat(store.list("")).extracting(StoredObject::key)
				.containsExactly(this.format.snapshotKey(start.generation(), 0));

			db.insert(10, 100);
			WalPosition first = writer.ship();
			assertThat(first.offset()).isGreaterThan(32);
			assertThat((first.offset() - 32) % (4096 + 24)).isZero();
			assertThat(writer.ship()).as("nothing new, nothing shipped").isEqualTo(first);
			assertThat(store.list("generations/" + start.generation() + "/wal/")).hasSize(1);

			db.insert(10, 100);
			WalPosition second = writer.ship();
			assertThat(second.offset()).isGreaterThan(first.offset());
			assertThat(store.list("")).extracting(StoredObject::key)
				.contains(this.format.walSegmentKey(start.generation(), 0, first.offset()));
		}
	}

	@Test
	void aWalRestartedBySomeoneElsesCheckpointEndsTheGeneration() throws Exception {
		try (SqliteTestDatabase db = new SqliteTestDatabase(this.dir.resolve("app.db"));
				ReplicaStore store = new FileReplicaStore(this.dir.resolve("replica"));
				ReplicaWriter writer = ReplicaWriter.open(db.file(), store, this.format)) {
			writer.startGeneration();
			db.insert(10, 100);
			writer.ship();
			db.insert(10, 100);
			db.checkpoint("RESTART");
			db.insert(1, 100);
			assertThatExceptionOfType(WalContinuityException.class).isThrownBy(writer::ship)
				.withMessageContaining("start a new generation");
		}
	}

	@Test
	void afterItsOwnCheckpointTheNextWalLifeIsTheNextIndex() throws Exception {
		try (SqliteTestDatabase db = new SqliteTestDatabase(this.dir.resolve("app.db"));
				ReplicaStore store = new FileReplicaStore(this.dir.resolve("replica"));
				ReplicaWriter writer = ReplicaWriter.open(db.file(), store, this.format)) {
			writer.startGeneration();
			db.insert(10, 100);
			db.insert(10, 100);
			WalPosition beforeCheckpoint = writer.ship();
			db.insert(10, 100);
			WalPosition checkpointed = writer.checkpoint();
			assertThat(checkpointed.index()).isEqualTo(beforeCheckpoint.index());
			assertThat(checkpointed.offset()).as("the tail committed before the checkpoint was shipped first")
				.isGreaterThan(beforeCheckpoint.offset());
			db.insert(1, 100);
			WalPosition next = writer.ship();
			assertThat(next.index()).isEqualTo(checkpointed.index() + 1);
			assertThat(store.list("")).extracting(StoredObject::key)
				.contains(this.format.walSegmentKey(next.generation(), next.index(), 0));
			Path restored = this.dir.resolve("restored.db");
			new NativeRestore(store, this.format, 2).restore(restored);
			assertThat(SqliteTestDatabase.fingerprint(restored)).isEqualTo(db.fingerprint());
		}
	}

}
