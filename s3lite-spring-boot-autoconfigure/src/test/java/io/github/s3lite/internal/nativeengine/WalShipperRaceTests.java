package io.github.s3lite.internal.nativeengine;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.s3lite.internal.config.ReplicaUrl;
import io.github.s3lite.internal.nativeengine.format.LitestreamV03Format;
import io.github.s3lite.internal.nativeengine.format.ReplicaFormat;
import io.github.s3lite.internal.nativeengine.wal.CommittedWal;
import io.github.s3lite.internal.nativeengine.wal.WalReader;
import io.github.s3lite.internal.storage.FileReplicaStore;
import io.github.s3lite.test.IndependentRestore;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The shipper uploads only WAL bytes whose checksum chain it validated in the same read: a checkpoint
 * that restarts the WAL, and writes that refill it, between the scan and the upload (what an
 * application's own {@code PRAGMA wal_checkpoint} could do) never put another WAL life's bytes under
 * the scanned index. Every uploaded segment chains from its index's header, and the real
 * {@code litestream restore} restores every row.
 */
class WalShipperRaceTests {

	private static final Pattern SEGMENT = Pattern.compile("generations/(\\w+)/wal/(\\w{8})_(\\w{8})\\.wal\\.lz4$");

	private final ReplicaFormat format = new LitestreamV03Format();

	@TempDir
	Path dir;

	@Test
	void aWalRestartBetweenTheScanAndTheUploadNeverUploadsAnotherLifesBytes() throws Exception {
		Path replica = this.dir.resolve("replica");
		try (SqliteTestDatabase db = new SqliteTestDatabase(this.dir.resolve("app.db"));
				RacingReplicaStore store = new RacingReplicaStore(new FileReplicaStore(replica));
				ReplicaWriter writer = ReplicaWriter.open(db.file(), store, this.format)) {
			writer.startGeneration();
			for (int round = 0; round < 10; round++) {
				db.insert(5, 100);
				shipOrStartAgain(writer);
				db.insert(5, 100);
				store.beforeNextSegment(() -> {
					db.checkpoint("TRUNCATE");
					db.insert(30, 100);
				});
				shipOrStartAgain(writer);
			}
			db.insert(5, 100);
			shipOrStartAgain(writer);
			assertEverySegmentChainsFromItsHeader(replica);
			Path restored = IndependentRestore.fromDirectory(replica, this.dir.resolve("restored.db"));
			assertThat(IndependentRestore.integrityCheck(restored)).isEqualTo("ok");
			assertThat(SqliteTestDatabase.fingerprint(restored)).isEqualTo(db.fingerprint());
		}
	}

	/** Ship; a WAL that restarted under the shipper ends the generation, as the engine does. */
	private static void shipOrStartAgain(ReplicaWriter writer) throws IOException {
		try {
			writer.ship();
		}
		catch (WalContinuityException ex) {
			writer.startGeneration();
		}
	}

	private void assertEverySegmentChainsFromItsHeader(Path replica) throws IOException {
		Map<String, TreeMap<Long, Path>> indexes = new TreeMap<>();
		try (Stream<Path> files = Files.walk(replica)) {
			for (Path file : files.filter(Files::isRegularFile).toList()) {
				Matcher segment = SEGMENT.matcher(replica.relativize(file).toString().replace('\\', '/'));
				if (segment.find()) {
					indexes.computeIfAbsent(segment.group(1) + "/" + segment.group(2), (key) -> new TreeMap<>())
						.put(Long.parseLong(segment.group(3), 16), file);
				}
			}
		}
		assertThat(indexes).isNotEmpty();
		for (Map.Entry<String, TreeMap<Long, Path>> index : indexes.entrySet()) {
			Path wal = this.dir.resolve("chain-" + index.getKey().replace('/', '-') + ".wal");
			List<Long> ends = new ArrayList<>();
			try (OutputStream out = Files.newOutputStream(wal)) {
				long length = 0;
				for (Map.Entry<Long, Path> segment : index.getValue().entrySet()) {
					assertThat(segment.getKey()).as("segment offsets of %s follow each other", index.getKey())
						.isEqualTo(length);
					try (InputStream in = this.format.decode(Files.newInputStream(segment.getValue()))) {
						length += in.transferTo(out);
					}
					ends.add(length);
				}
			}
			Optional<CommittedWal> committed = WalReader.committedPrefix(wal);
			assertThat(committed).as("index %s has a valid header", index.getKey()).isPresent();
			assertThat(committed.get().length()).as("every frame of index %s chains from its header", index.getKey())
				.isEqualTo(ends.stream().max(Comparator.naturalOrder()).orElseThrow());
		}
	}

}
