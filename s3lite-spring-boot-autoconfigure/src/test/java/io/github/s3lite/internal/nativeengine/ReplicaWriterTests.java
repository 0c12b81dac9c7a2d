package io.github.s3lite.internal.nativeengine;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.s3lite.internal.config.ReplicaUrl;
import io.github.s3lite.internal.nativeengine.format.LitestreamV03Format;
import io.github.s3lite.internal.nativeengine.format.ReplicaFormat;
import io.github.s3lite.internal.replication.WalPosition;
import io.github.s3lite.internal.storage.FileReplicaStore;
import io.github.s3lite.internal.storage.ReplicaStore;
import io.github.s3lite.internal.storage.StoredObject;
import io.github.s3lite.test.IndependentRestore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * The replica writer's positions, its refusal to continue a generation it cannot prove, its
 * checkpoints among writers that never pause (restored by the real {@code litestream restore}) and its
 * local observations while an upload hangs (file replica, fast; the format itself is proven against
 * litestream in {@link CrossRestoreTests}).
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


	@Test
	void checkpointsAmongWritersThatNeverPauseNeverBreakContinuityAndLitestreamRestoresEveryRow() throws Exception {
		Path replica = this.dir.resolve("replica");
		try (SqliteTestDatabase db = new SqliteTestDatabase(this.dir.resolve("app.db"));
				ReplicaStore store = new FileReplicaStore(replica);
				ReplicaWriter writer = ReplicaWriter.open(db.file(), store, this.format, 1024 * 1024)) {
			writer.startGeneration();
			AtomicBoolean running = new AtomicBoolean(true);
			AtomicInteger ids = new AtomicInteger();
			ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
			List<Thread> writers = new ArrayList<>();
			for (int i = 0; i < 2; i++) {
				// the second writer pauses now and then, so that checkpoints also begin on a fully copied WAL
				boolean pausing = i == 1;
				writers.add(new Thread(() -> write(db.file(), ids, running, pausing, errors), "writer-" + i));
			}
			writers.forEach(Thread::start);
			int checkpoints = 0;
			WalPosition position = writer.position();
			while (checkpoints < 40 || ids.get() < 3000) {
				writer.ship();
				position = writer.checkpoint();
				checkpoints++;
			}
			running.set(false);
			for (Thread thread : writers) {
				thread.join();
			}
			assertThat(errors).as("no writer failed, none saw SQLITE_BUSY").isEmpty();
			WalPosition last = writer.ship();
			assertThat(last.generation()).as("continuity was never lost").isEqualTo(position.generation());
			assertThat(last.index()).as("the WAL restarted after checkpoints, each restart a new index")
				.isGreaterThanOrEqualTo(10);
			Path restored = this.dir.resolve("litestream-restored.db");
			LitestreamOracle.restore(ReplicaUrl.parse("test", "file:" + replica), null, restored,
					Files.createDirectories(this.dir.resolve("work")));
			assertThat(IndependentRestore.integrityCheck(restored)).isEqualTo("ok");
			assertThat(SqliteTestDatabase.fingerprint(restored)).isEqualTo(db.fingerprint());
		}
	}

	@Test
	void thePositionAndThePendingBytesStayCurrentWhileAnUploadHangs() throws Exception {
		try (SqliteTestDatabase db = new SqliteTestDatabase(this.dir.resolve("app.db"));
				HangingReplicaStore store = new HangingReplicaStore(new FileReplicaStore(this.dir.resolve("replica")));
				ReplicaWriter writer = ReplicaWriter.open(db.file(), store, this.format)) {
			writer.startGeneration();
			db.insert(10, 100);
			WalPosition shipped = writer.ship();
			store.hang();
			for (int i = 0; i < 100; i++) {
				db.insert(1, 100);
			}
			CompletableFuture<WalPosition> hungShip = CompletableFuture.supplyAsync(() -> {
				try {
					return writer.ship();
				}
				catch (Exception ex) {
					throw new IllegalStateException(ex);
				}
			});
			store.awaitHangingUpload();
			// hang guards, not timings: before the fix these calls waited for the upload
			long pending = CompletableFuture.supplyAsync(() -> {
				try {
					return writer.pendingBytes();
				}
				catch (Exception ex) {
					throw new IllegalStateException(ex);
				}
			}).get(30, TimeUnit.SECONDS);
			assertThat(pending).isGreaterThanOrEqualTo(100 * (4096 + 24));
			assertThat(CompletableFuture.supplyAsync(writer::position).get(30, TimeUnit.SECONDS)).isEqualTo(shipped);
			store.release();
			assertThat(hungShip.get(30, TimeUnit.SECONDS).offset()).isEqualTo(shipped.offset() + pending);
			assertThat(writer.pendingBytes()).isZero();
		}
	}

	@Test
	void aWriterPauseHoldsWritersBackWithoutFailingThemAndEndsByItself() throws Exception {
		try (SqliteTestDatabase db = new SqliteTestDatabase(this.dir.resolve("app.db"));
				WriterPause pause = WriterPause.open(db.file())) {
			assertThat(pause.pause()).isTrue();
			CompletableFuture<Void> insert = CompletableFuture.runAsync(() -> {
				try {
					db.insert(1, 100);
				}
				catch (Exception ex) {
					throw new IllegalStateException(ex);
				}
			});
			// nobody resumes: the pause ends by itself, well within the writer's busy timeout
			await().atMost(Duration.ofSeconds(30)).until(insert::isDone);
			assertThat(insert).isCompleted();
			assertThat(db.rows()).isEqualTo(1);
			assertThat(pause.pause()).as("a pause follows the last one only after a gap").isFalse();
			assertThat(pause.pauses()).isEqualTo(1);
		}
	}

	private static void write(Path database, AtomicInteger ids, AtomicBoolean running, boolean pausing,
			ConcurrentLinkedQueue<Throwable> errors) {
		try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + database)) {
			try (Statement statement = connection.createStatement()) {
				statement.execute("PRAGMA busy_timeout=5000");
				statement.execute("PRAGMA wal_autocheckpoint=0");
			}
			try (PreparedStatement insert = connection
				.prepareStatement("INSERT INTO t (id, payload) VALUES (?, randomblob(300))")) {
				while (running.get()) {
					insert.setInt(1, 1_000_000 + ids.incrementAndGet());
					insert.executeUpdate();
					if (pausing && ThreadLocalRandom.current().nextInt(50) == 0) {
						// an idle moment of an application, so that a checkpoint can find the WAL fully copied
						LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(2));
					}
				}
			}
		}
		catch (Throwable ex) {
			errors.add(ex);
		}
	}

}
