package io.github.s3lite.internal.nativeengine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

import io.github.s3lite.internal.nativeengine.format.InvalidReplicaException;

/**
 * Applies a WAL file to a database file the way litestream's restore does: the WAL is put beside the
 * database as {@code <db>-wal} and SQLite runs {@code PRAGMA wal_checkpoint(TRUNCATE)}, which
 * replays every committed frame into the database and empties the WAL.
 */
final class WalApplier {

	private WalApplier() {
	}

	/**
	 * Apply a WAL to a database.
	 * SQLite does not sync the database here ({@code synchronous=OFF}): the caller syncs it once, when the
	 * last WAL is applied.
	 * @param database the database file, in WAL mode, with no connection open
	 * @param wal the WAL file; it is moved away
	 * @throws IOException if SQLite cannot apply it
	 */
	static void apply(Path database, Path wal) throws IOException {
		Files.move(wal, walOf(database));
		try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + database);
				Statement statement = connection.createStatement()) {
			statement.execute("PRAGMA synchronous=OFF");
			checkpoint(database, statement);
		}
		catch (SQLException ex) {
			throw new IOException("SQLite could not apply the WAL to " + database + ": " + ex.getMessage(), ex);
		}
	}

	private static void checkpoint(Path database, Statement statement) throws SQLException, IOException {
		try (ResultSet result = statement.executeQuery("PRAGMA wal_checkpoint(TRUNCATE)")) {
			result.next();
			int busy = result.getInt(1);
			int log = result.getInt(2);
			int checkpointed = result.getInt(3);
			if (log < 0) {
				throw new InvalidReplicaException("The snapshot is not a WAL-mode database, so its WAL cannot be applied");
			}
			if (busy != 0 || log != checkpointed) {
				throw new IOException("Applying the WAL to " + database + " did not complete (" + busy + "," + log + ","
						+ checkpointed + ")");
			}
		}
	}

	/**
	 * Run {@code PRAGMA quick_check}: every page and every b-tree's structure, without the index-to-table
	 * cross-checks of {@code integrity_check}, which a restore (whole pages copied verbatim) cannot break
	 * on its own.
	 * @param database the database file
	 * @return {@code ok} for a sound database, else SQLite's first complaint
	 * @throws IOException if SQLite cannot open the file
	 */
	static String quickCheck(Path database) throws IOException {
		try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + database);
				Statement statement = connection.createStatement()) {
			// read through a memory map instead of a read call per page: two to three times faster
			statement.execute("PRAGMA mmap_size=" + Math.max(Files.size(database), 1));
			try (ResultSet result = statement.executeQuery("PRAGMA quick_check(1)")) {
				result.next();
				return result.getString(1);
			}
		}
		catch (SQLException ex) {
			throw new IOException("SQLite could not check " + database + ": " + ex.getMessage(), ex);
		}
	}

	static Path walOf(Path database) {
		return database.resolveSibling(database.getFileName() + "-wal");
	}

	static Path shmOf(Path database) {
		return database.resolveSibling(database.getFileName() + "-shm");
	}

}
