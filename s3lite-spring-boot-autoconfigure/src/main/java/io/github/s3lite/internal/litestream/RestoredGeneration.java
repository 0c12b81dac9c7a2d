package io.github.s3lite.internal.litestream;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

import io.github.s3lite.internal.engine.ContinuityRecord;
import io.github.s3lite.internal.replication.WalPosition;

/**
 * Where a restored database stands in its replica, kept next to it ({@code .<db>-s3lite-restored}, a
 * {@link ContinuityRecord}, written without reading the file) until litestream first replicates it:
 * the generation, the last WAL index restored and the offset its segments end at. The file is consumed
 * on start and trusted only while the database is unchanged and has no WAL.
 */
final class RestoredGeneration {

	private RestoredGeneration() {
	}

	/**
	 * Return the file the restored position of a database is kept in.
	 * @param database the database
	 * @return the file, which need not exist
	 */
	static Path fileOf(Path database) {
		return database.resolveSibling("." + database.getFileName() + "-s3lite-restored");
	}

	/**
	 * Record where a database that was just restored stands.
	 * @param database the restored database, with no connection open
	 * @param position the end of the last WAL index restored
	 * @throws IOException on a file error
	 */
	static void record(Path database, WalPosition position) throws IOException {
		ContinuityRecord.writeUnread(fileOf(database), database,
				Map.of("generation", position.generation(), "index", Long.toString(position.index()), "offset",
						Long.toString(position.offset())),
				"s3lite: where the restored database stands in its replica");
	}

	/**
	 * Read and remove the restored position of a database, and return it only while the database is the
	 * file that was restored: same size and CRC-32C, and no WAL beside it.
	 * @param database the database
	 * @return the position, or empty when litestream must start a new generation
	 */
	static Optional<WalPosition> consume(Path database) {
		try {
			Optional<Properties> recorded = ContinuityRecord.take(fileOf(database), database);
			if (recorded.isEmpty()) {
				return Optional.empty();
			}
			String generation = recorded.get().getProperty("generation");
			WalPosition position = new WalPosition(generation, Long.parseLong(recorded.get().getProperty("index")),
					Long.parseLong(recorded.get().getProperty("offset")));
			Path wal = database.resolveSibling(database.getFileName() + "-wal");
			boolean valid = generation != null && generation.matches("[0-9a-f]{16}") && position.index() >= 0
					&& position.offset() > 0 && (!Files.exists(wal) || Files.size(wal) == 0);
			return valid ? Optional.of(position) : Optional.empty();
		}
		catch (IOException | RuntimeException ex) {
			return Optional.empty();
		}
	}

}
