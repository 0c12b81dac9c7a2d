package io.github.s3lite.nativeengine;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Optional;
import java.util.Properties;
import java.util.zip.CRC32C;

import io.github.s3lite.nativeengine.wal.WalHeader;
import io.github.s3lite.nativeengine.wal.WalReader;

/**
 * Where a clean stop left a generation, kept next to the database ({@code .<db>-s3lite-native}) so
 * that the next start can continue it without a snapshot. It holds the generation, the last WAL index
 * and a CRC-32C and size of the database file, which at that moment held exactly what the replica
 * held. The file is consumed on start: a crash afterwards finds none and starts a new generation.
 *
 * @param generation the generation
 * @param index the last WAL index in the replica
 * @param databaseSize the database file's size at the stop
 * @param databaseCrc the database file's CRC-32C at the stop
 */
record StoppedPosition(String generation, long index, long databaseSize, long databaseCrc) {

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
	 * @param index the last WAL index in the replica
	 * @throws IOException on a file error
	 */
	static void record(Path database, String generation, long index) throws IOException {
		Properties properties = new Properties();
		properties.setProperty("generation", generation);
		properties.setProperty("index", Long.toString(index));
		properties.setProperty("databaseSize", Long.toString(Files.size(database)));
		properties.setProperty("databaseCrc", Long.toString(crc(database)));
		Path file = fileOf(database);
		Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
		try (Writer out = Files.newBufferedWriter(temporary, StandardCharsets.UTF_8)) {
			properties.store(out, "s3lite native engine: position at the last clean stop");
		}
		Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
	}

	/**
	 * Read and remove the position of a database, and return it only when continuity is proven: the
	 * database file is unchanged since the stop and its WAL holds no committed frame.
	 * @param database the database
	 * @return the position, or empty when a new generation must start
	 */
	static Optional<StoppedPosition> consume(Path database) {
		Path file = fileOf(database);
		try {
			if (!Files.exists(file)) {
				return Optional.empty();
			}
			Properties properties = new Properties();
			try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
				properties.load(in);
			}
			Files.delete(file);
			StoppedPosition position = new StoppedPosition(properties.getProperty("generation"),
					Long.parseLong(properties.getProperty("index")), Long.parseLong(properties.getProperty("databaseSize")),
					Long.parseLong(properties.getProperty("databaseCrc")));
			return position.matches(database) ? Optional.of(position) : Optional.empty();
		}
		catch (IOException | RuntimeException ex) {
			return Optional.empty();
		}
	}

	private boolean matches(Path database) throws IOException {
		if (this.generation == null || !this.generation.matches("[0-9a-f]{16}")) {
			return false;
		}
		Path wal = database.resolveSibling(database.getFileName() + "-wal");
		boolean walEmpty = WalReader.committedPrefix(wal).map((c) -> c.length() <= WalHeader.SIZE).orElse(true);
		return walEmpty && Files.size(database) == this.databaseSize && crc(database) == this.databaseCrc;
	}

	private static long crc(Path file) throws IOException {
		CRC32C crc = new CRC32C();
		byte[] buffer = new byte[256 * 1024];
		try (InputStream in = Files.newInputStream(file)) {
			for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
				crc.update(buffer, 0, read);
			}
		}
		return crc.getValue();
	}

}
