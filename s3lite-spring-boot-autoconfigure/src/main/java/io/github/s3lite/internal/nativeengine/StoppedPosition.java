package io.github.s3lite.internal.nativeengine;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

import io.github.s3lite.internal.engine.ContinuityRecord;
import io.github.s3lite.internal.nativeengine.wal.WalHeader;
import io.github.s3lite.internal.nativeengine.wal.WalReader;

/**
 * Where a clean stop or a restore left a generation, kept next to the database
 * ({@code .<db>-s3lite-native}) so that the next start can continue it without a snapshot. It holds the
 * generation and the last WAL index in a {@link ContinuityRecord}, written when the database held exactly
 * what the replica held. The file is consumed on start: a crash afterwards finds none and starts a new
 * generation.
 *
 * @param generation the generation
 * @param index the last WAL index the database holds (the next start ships the one after it)
 */
record StoppedPosition(String generation, long index) {

	private static final String COMMENT = "s3lite native engine: where the database stands in its generation";

	/**
	 * Return the file the position of a database is kept in.
	 * @param database the database
	 * @return the file, which need not exist
	 */
	static Path fileOf(Path database) {
		return database.resolveSibling("." + database.getFileName() + "-s3lite-native");
	}

	/**
	 * Record the position of a database that holds exactly what the replica holds.
	 * @param database the database, with no connection open
	 * @param generation the generation
	 * @param index the last WAL index the database holds, -1 for none
	 * @throws IOException on a file error
	 */
	static void record(Path database, String generation, long index) throws IOException {
		ContinuityRecord.write(fileOf(database), database, values(generation, index), COMMENT);
	}

	/**
	 * Record the position of a database that was just restored, without reading it (see
	 * {@link ContinuityRecord#writeUnread}).
	 * @param database the restored database, with no connection open
	 * @param generation the generation
	 * @param index the last WAL index the database holds, -1 for none
	 * @throws IOException on a file error
	 */
	static void recordRestored(Path database, String generation, long index) throws IOException {
		ContinuityRecord.writeUnread(fileOf(database), database, values(generation, index), COMMENT);
	}

	private static Map<String, String> values(String generation, long index) {
		return Map.of("generation", generation, "index", Long.toString(index));
	}

	/**
	 * Read and remove the position of a database, and return it only when continuity is proven: the
	 * database file is unchanged since it was recorded and its WAL holds no committed frame.
	 * @param database the database
	 * @return the position, or empty when a new generation must start
	 */
	static Optional<StoppedPosition> consume(Path database) {
		try {
			Optional<Properties> recorded = ContinuityRecord.take(fileOf(database), database);
			if (recorded.isEmpty()) {
				return Optional.empty();
			}
			StoppedPosition position = new StoppedPosition(recorded.get().getProperty("generation"),
					Long.parseLong(recorded.get().getProperty("index")));
			return position.continues(database) ? Optional.of(position) : Optional.empty();
		}
		catch (IOException | RuntimeException ex) {
			return Optional.empty();
		}
	}

	private boolean continues(Path database) throws IOException {
		if (this.generation == null || !this.generation.matches("[0-9a-f]{16}")) {
			return false;
		}
		Path wal = database.resolveSibling(database.getFileName() + "-wal");
		return WalReader.committedPrefix(wal).map((c) -> c.length() <= WalHeader.SIZE).orElse(true);
	}

}
