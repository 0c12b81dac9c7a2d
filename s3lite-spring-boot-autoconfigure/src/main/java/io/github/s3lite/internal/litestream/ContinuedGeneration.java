package io.github.s3lite.internal.litestream;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Comparator;
import java.util.Optional;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.s3lite.internal.replication.WalPosition;

/**
 * Lays out litestream v0.3's meta directory so that {@code litestream replicate} continues the
 * generation a database was restored from instead of starting a new one with a snapshot of the whole
 * database (read from v0.3.13's {@code DB.verify}, {@code Replica.calcPos} and
 * {@code DB.ShadowWALReader}):
 * <ul>
 * <li>a write (litestream's own, to {@code _litestream_seq}) starts the database's WAL, and the
 * connection that made it stays open, so that the WAL is not checkpointed away before litestream
 * holds the database;</li>
 * <li>the shadow WAL of the next index is a copy of that WAL: litestream finds its header and last
 * frame unchanged and goes on from there;</li>
 * <li>the shadow WAL of the restored index is as long as that index is in the replica (its content is
 * never read): litestream's replica position ends there, so it ships the next index from its start;</li>
 * <li>{@code generation} names the restored generation.</li>
 * </ul>
 * Anything unexpected leaves no meta directory, and litestream starts a new generation as before.
 */
final class ContinuedGeneration {

	private static final Logger logger = LoggerFactory.getLogger(ContinuedGeneration.class);

	private static final int WAL_HEADER_SIZE = 32;

	private static final int FRAME_HEADER_SIZE = 24;

	private ContinuedGeneration() {
	}

	/**
	 * Prepare litestream to continue a restored generation.
	 * @param database the restored database, unchanged since, with no connection open
	 * @param restoredAt where the last WAL index restored ends in the replica
	 * @return the connection that keeps the WAL, to close once litestream holds the database; empty when
	 * litestream starts a new generation
	 */
	static Optional<Connection> prepare(Path database, WalPosition restoredAt) {
		Path meta = LitestreamEngine.metaDirectory(database);
		Connection connection = null;
		try {
			deleteRecursively(meta);
			connection = DriverManager.getConnection("jdbc:sqlite:" + database);
			startWal(connection);
			byte[] wal = Files.readAllBytes(database.resolveSibling(database.getFileName() + "-wal"));
			requireWholeFrames(wal);
			Path shadow = meta.resolve("generations").resolve(restoredAt.generation()).resolve("wal");
			Files.createDirectories(shadow);
			try (RandomAccessFile restored = new RandomAccessFile(shadow.resolve(name(restoredAt.index())).toFile(),
					"rw")) {
				restored.setLength(restoredAt.offset());
			}
			Files.write(shadow.resolve(name(restoredAt.index() + 1)), wal);
			Path generation = meta.resolve("generation");
			Path temporary = meta.resolve("generation.s3lite.tmp");
			Files.write(temporary, (restoredAt.generation() + "\n").getBytes(StandardCharsets.US_ASCII));
			Files.move(temporary, generation, StandardCopyOption.ATOMIC_MOVE);
			logger.info("Continuing generation {} of {} at index {} (restored; no new snapshot)",
					restoredAt.generation(), database, String.format("%08x", restoredAt.index() + 1));
			return Optional.of(connection);
		}
		catch (IOException | SQLException | RuntimeException ex) {
			logger.info("litestream starts a new generation for {}: could not continue generation {} ({})", database,
					restoredAt.generation(), ex.getMessage());
			closeQuietly(connection);
			try {
				deleteRecursively(meta);
			}
			catch (IOException cleanup) {
				logger.warn("Could not delete {}: {}", meta, cleanup.getMessage());
			}
			return Optional.empty();
		}
	}

	/** litestream's own first write ({@code DB.init} and {@code DB.ensureWALExists}). */
	private static void startWal(Connection connection) throws SQLException {
		try (Statement statement = connection.createStatement()) {
			statement.execute("PRAGMA wal_autocheckpoint=0");
			try (ResultSet mode = statement.executeQuery("PRAGMA journal_mode=wal")) {
				if (!mode.next() || !"wal".equalsIgnoreCase(mode.getString(1))) {
					throw new SQLException("the database is not in WAL mode");
				}
			}
			statement.execute("CREATE TABLE IF NOT EXISTS _litestream_seq (id INTEGER PRIMARY KEY, seq INTEGER)");
			statement.execute("INSERT INTO _litestream_seq (id, seq) VALUES (1, 1) "
					+ "ON CONFLICT (id) DO UPDATE SET seq = seq + 1");
		}
	}

	private static void requireWholeFrames(byte[] wal) throws IOException {
		if (wal.length <= WAL_HEADER_SIZE) {
			throw new IOException("the write left no WAL frame");
		}
		int pageSize = ByteBuffer.wrap(wal, 8, 4).getInt();
		if (pageSize < 512 || (wal.length - WAL_HEADER_SIZE) % (FRAME_HEADER_SIZE + pageSize) != 0) {
			throw new IOException("the WAL does not end on a frame (" + wal.length + " bytes, page size " + pageSize
					+ ")");
		}
	}

	private static String name(long index) {
		return String.format("%08x.wal", index);
	}

	static void closeQuietly(Connection connection) {
		if (connection == null) {
			return;
		}
		try {
			connection.close();
		}
		catch (SQLException ex) {
			logger.debug("Could not close the connection that kept the WAL", ex);
		}
	}

	private static void deleteRecursively(Path directory) throws IOException {
		if (!Files.exists(directory, LinkOption.NOFOLLOW_LINKS)) {
			return;
		}
		try (Stream<Path> tree = Files.walk(directory)) {
			for (Path path : (Iterable<Path>) tree.sorted(Comparator.reverseOrder())::iterator) {
				Files.delete(path);
			}
		}
	}

}
