package io.github.s3lite.internal.datasource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteOpenMode;

import io.github.s3lite.internal.config.S3liteConfig;

/**
 * Opens the database file once before replication starts: creates it in WAL mode when it is new,
 * and fails clearly, without modifying it, when the file at {@code s3lite.path} is not a usable
 * SQLite database (not SQLite at all, or a damaged header or schema; damage elsewhere surfaces when
 * the damaged pages are read). An existing file is only read, through a read-only connection:
 * closing the last read-write connection would checkpoint and delete the WAL, and litestream would
 * then start a new generation (a full snapshot upload) instead of continuing the current one.
 */
public final class SqliteDatabaseFile {

	private SqliteDatabaseFile() {
	}

	/**
	 * Create or open the database in WAL mode.
	 * @param config the configuration
	 * @param engineStatements the statements the replication engine needs on every connection
	 * @throws DatabaseFileException if the file cannot be opened as an SQLite database
	 */
	public static void initialize(S3liteConfig config, List<String> engineStatements) {
		boolean exists = Files.exists(config.databasePath());
		try (Connection connection = exists ? readOnly(config.databasePath()) : create(config, engineStatements)) {
			try (Statement statement = connection.createStatement()) {
				// reading the schema parses page 1 and the schema table: a damaged file fails here, before
				// litestream could replicate it over a sound replica
				statement.execute("SELECT count(*) FROM sqlite_master");
			}
		}
		catch (SQLException ex) {
			throw new DatabaseFileException("Cannot open s3lite.path (" + config.databasePath()
					+ ") as an SQLite database: " + ex.getMessage() + ". The file was left as it is. If it is "
					+ "damaged, move it away so that s3lite restores it from s3lite.restore-from, or point "
					+ "s3lite.path at another file.", ex);
		}
	}

	private static Connection create(S3liteConfig config, List<String> engineStatements) throws SQLException {
		return new SqliteConnectionSource(config.databasePath(), config.synchronous(), config.txLock(),
				config.busyTimeout(), engineStatements)
			.getConnection();
	}

	private static Connection readOnly(Path database) throws SQLException {
		SQLiteConfig readOnly = new SQLiteConfig();
		readOnly.setReadOnly(true);
		readOnly.setOpenMode(SQLiteOpenMode.READONLY);
		return readOnly.createConnection("jdbc:sqlite:" + database);
	}

	/**
	 * Thrown when the local database file cannot be used.
	 */
	public static class DatabaseFileException extends RuntimeException {

		protected DatabaseFileException(String message, Throwable cause) {
			super(message, cause);
		}

	}

}
