package io.github.s3lite.internal.engine;

import java.io.IOException;
import java.io.Reader;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;

/**
 * A small file an engine keeps next to a database while the database holds exactly what the replica
 * holds (after a clean stop or a restore), so that the next start can continue the replica's generation
 * instead of uploading the whole database again: the engine's values plus the database file's
 * {@link DatabaseFingerprint}. It is written atomically and read once: reading removes it, and its
 * values are returned only while the database still matches that fingerprint.
 */
public final class ContinuityRecord {

	private static final String SIZE = "databaseSize";

	private static final String CRC = "databaseCrc";

	private static final String MODIFIED = "databaseModifiedNanos";

	private static final String FILE_KEY = "databaseFileKey";

	private ContinuityRecord() {
	}

	/**
	 * Write the record of a database.
	 * @param file the record's file
	 * @param database the database, with no connection open
	 * @param values the engine's values
	 * @param comment a comment saying what the file is
	 * @throws IOException on a file error
	 */
	public static void write(Path file, Path database, Map<String, String> values, String comment)
			throws IOException {
		write(file, DatabaseFingerprint.of(database), values, comment);
	}

	/**
	 * Write the record of a database that is about to be replicated by this process (a restored one),
	 * without reading its content: it is then trusted only while its modification time and file key are
	 * unchanged, which holds from the restore to the start.
	 * @param file the record's file
	 * @param database the database, with no connection open
	 * @param values the engine's values
	 * @param comment a comment saying what the file is
	 * @throws IOException on a file error
	 */
	public static void writeUnread(Path file, Path database, Map<String, String> values, String comment)
			throws IOException {
		write(file, DatabaseFingerprint.ofAttributes(database), values, comment);
	}

	private static void write(Path file, DatabaseFingerprint fingerprint, Map<String, String> values,
			String comment) throws IOException {
		Properties properties = new Properties();
		properties.putAll(values);
		properties.setProperty(SIZE, Long.toString(fingerprint.size()));
		properties.setProperty(CRC, Long.toString(fingerprint.crc()));
		properties.setProperty(MODIFIED, Long.toString(fingerprint.modified()));
		properties.setProperty(FILE_KEY, fingerprint.fileKey());
		Path temporary = file.resolveSibling(file.getFileName() + ".tmp");
		try (Writer out = Files.newBufferedWriter(temporary, StandardCharsets.UTF_8)) {
			properties.store(out, comment);
		}
		Files.move(temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
	}

	/**
	 * Read and remove the record of a database.
	 * @param file the record's file
	 * @param database the database
	 * @return the engine's values, or empty when there is no record, it cannot be read, or the database
	 * changed since it was written
	 */
	public static Optional<Properties> take(Path file, Path database) {
		try {
			if (!Files.exists(file)) {
				return Optional.empty();
			}
			Properties properties = new Properties();
			try (Reader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
				properties.load(in);
			}
			Files.delete(file);
			DatabaseFingerprint recorded = new DatabaseFingerprint(Long.parseLong(properties.getProperty(SIZE)),
					Long.parseLong(properties.getProperty(CRC)), Long.parseLong(properties.getProperty(MODIFIED, "-1")),
					properties.getProperty(FILE_KEY, ""));
			return recorded.matches(database) ? Optional.of(properties) : Optional.empty();
		}
		catch (IOException | RuntimeException ex) {
			return Optional.empty();
		}
	}

}
