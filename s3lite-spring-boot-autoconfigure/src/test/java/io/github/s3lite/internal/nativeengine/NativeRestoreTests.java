package io.github.s3lite.internal.nativeengine;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.s3lite.internal.nativeengine.format.InvalidReplicaException;
import io.github.s3lite.internal.nativeengine.format.LitestreamV03Format;
import io.github.s3lite.internal.nativeengine.format.ReplicaFormat;
import io.github.s3lite.internal.nativeengine.format.WalSegmentInfo;
import io.github.s3lite.internal.storage.FileReplicaStore;
import io.github.s3lite.internal.storage.ReplicaStore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * A native restore never harms a local file and fails cleanly on a broken replica (file replicas
 * written by the native writer, fast).
 */
class NativeRestoreTests {

	private final ReplicaFormat format = new LitestreamV03Format();

	@TempDir
	Path dir;

	private ReplicaStore store;

	@BeforeEach
	void createStore() {
		this.store = new FileReplicaStore(this.dir.resolve("replica"));
	}

	@Test
	void anEmptyReplicaRestoresNothingAndCreatesNoFile() throws IOException {
		Path target = this.dir.resolve("data/app.db");
		NativeRestoreResult result = new NativeRestore(this.store, this.format, 2).restore(target);
		assertThat(result.restored()).isFalse();
		assertThat(target).doesNotExist();
	}

	@Test
	void anExistingDatabaseFileIsNeverTouched() throws Exception {
		writeReplica(3);
		Path target = Files.writeString(this.dir.resolve("existing.db"), "precious");
		assertThatExceptionOfType(FileAlreadyExistsException.class)
			.isThrownBy(() -> new NativeRestore(this.store, this.format, 2).restore(target));
		assertThat(target).hasContent("precious");
	}

	@Test
	void aStaleWalLeftWithoutItsDatabaseIsRemovedSoItCannotBeReplayedIntoTheRestoredOne() throws Exception {
		String expected = writeReplica(3);
		Path target = this.dir.resolve("restored.db");
		Files.write(this.dir.resolve("restored.db-wal"), new byte[] { 1, 2, 3 });
		new NativeRestore(this.store, this.format, 2).restore(target);
		assertThat(SqliteTestDatabase.fingerprint(target)).isEqualTo(expected);
		assertThat(this.dir.resolve("restored.db-wal")).doesNotExist();
	}

	@Test
	void aGapBetweenWalSegmentsFailsTheRestoreAndLeavesNoFileBehind() throws Exception {
		writeReplica(3);
		List<WalSegmentInfo> segments = this.format.list(this.store).generations().get(0).segments();
		WalSegmentInfo middle = segments.stream().filter((s) -> s.offset() > 0).findFirst().orElseThrow();
		this.store.delete(List.of(middle.key()));
		Path target = this.dir.resolve("restored.db");
		assertThatExceptionOfType(InvalidReplicaException.class)
			.isThrownBy(() -> new NativeRestore(this.store, this.format, 2).restore(target))
			.withMessageContaining("gap");
		assertThat(target).doesNotExist();
		assertThat(leftovers()).isEmpty();
	}

	@Test
	void aSegmentThatIsNotLz4FailsTheRestoreAndLeavesNoFileBehind() throws Exception {
		writeReplica(2);
		WalSegmentInfo last = lastSegment();
		this.store.put(last.key(), "not lz4".getBytes());
		Path target = this.dir.resolve("restored.db");
		assertThatExceptionOfType(IOException.class)
			.isThrownBy(() -> new NativeRestore(this.store, this.format, 2).restore(target));
		assertThat(target).doesNotExist();
		assertThat(leftovers()).isEmpty();
	}

	@Test
	void aSegmentWithATornFrameFailsTheRestoreInsteadOfDroppingTheTail() throws Exception {
		writeReplica(2);
		WalSegmentInfo last = lastSegment();
		byte[] raw;
		try (var in = this.format.decode(this.store.get(last.key()))) {
			raw = in.readAllBytes();
		}
		raw[raw.length - 1] ^= 0x5a;
		byte[] corrupt = raw;
		this.store.write(last.key(), (out) -> {
			try (OutputStream encoded = this.format.encode(out)) {
				encoded.write(corrupt);
			}
		});
		Path target = this.dir.resolve("restored.db");
		assertThatExceptionOfType(InvalidReplicaException.class)
			.isThrownBy(() -> new NativeRestore(this.store, this.format, 2).restore(target))
			.withMessageContaining("committed transactions");
		assertThat(target).doesNotExist();
	}

	private WalSegmentInfo lastSegment() throws IOException {
		List<WalSegmentInfo> segments = this.format.list(this.store).generations().get(0).segments();
		return segments.get(segments.size() - 1);
	}

	/** Write a replica of one WAL index with several segments; return the source's fingerprint. */
	private String writeReplica(int segments) throws Exception {
		try (SqliteTestDatabase db = new SqliteTestDatabase(this.dir.resolve("source.db"));
				ReplicaWriter writer = ReplicaWriter.open(db.file(), this.store, this.format)) {
			db.insert(20, 100);
			writer.startGeneration();
			for (int i = 0; i < segments; i++) {
				db.insert(20, 300);
				writer.ship();
			}
			return db.fingerprint();
		}
	}

	private List<Path> leftovers() throws IOException {
		try (Stream<Path> files = Files.list(this.dir)) {
			return files.filter((file) -> file.getFileName().toString().contains("s3lite-restore")).toList();
		}
	}

}
