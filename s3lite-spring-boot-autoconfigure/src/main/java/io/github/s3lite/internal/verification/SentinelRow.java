package io.github.s3lite.internal.verification;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.util.UUID;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConfig;

/**
 * The sentinel row of one verification: written into {@value ReplicaVerifier#TABLE} of the live
 * database, looked for in a restored copy (after SQLite's integrity check), and deleted again.
 */
final class SentinelRow {

	private static final Logger logger = LoggerFactory.getLogger(ReplicaVerifier.class);

	private static final String TABLE = ReplicaVerifier.TABLE;

	private final DataSource dataSource;

	private final String token = UUID.randomUUID().toString();

	/**
	 * Create a sentinel row, not written yet.
	 * @param dataSource the live database
	 */
	SentinelRow(DataSource dataSource) {
		this.dataSource = dataSource;
	}

	/** Write the row (and its table, the first time) into the live database. */
	void insert() throws SQLException {
		try (Connection connection = this.dataSource.getConnection()) {
			try (Statement statement = connection.createStatement()) {
				statement.execute("CREATE TABLE IF NOT EXISTS " + TABLE
						+ " (token TEXT PRIMARY KEY, created_at TEXT NOT NULL)");
			}
			try (PreparedStatement statement = connection
				.prepareStatement("INSERT INTO " + TABLE + " (token, created_at) VALUES (?, ?)")) {
				statement.setString(1, this.token);
				statement.setString(2, Instant.now().toString());
				statement.executeUpdate();
			}
			if (!connection.getAutoCommit()) {
				connection.commit();
			}
		}
	}

	/** Delete the row from the live database; a failure is only logged. */
	void deleteQuietly() {
		try (Connection connection = this.dataSource.getConnection();
				PreparedStatement statement = connection.prepareStatement("DELETE FROM " + TABLE + " WHERE token = ?")) {
			statement.setString(1, this.token);
			statement.executeUpdate();
			if (!connection.getAutoCommit()) {
				connection.commit();
			}
		}
		catch (SQLException ex) {
			logger.debug("Could not delete the verification sentinel row", ex);
		}
	}

	/**
	 * Return why a restored copy does not prove the replica: it fails its integrity check, or lacks the row.
	 * @param restored the restored database file, opened read-only
	 * @return the reason, or {@code null} when its integrity is ok and it holds the row
	 */
	String missingFrom(Path restored) throws SQLException {
		SQLiteConfig readOnly = new SQLiteConfig();
		readOnly.setReadOnly(true);
		try (Connection connection = readOnly.createConnection("jdbc:sqlite:" + restored)) {
			String integrity;
			try (Statement statement = connection.createStatement();
					ResultSet result = statement.executeQuery("PRAGMA integrity_check")) {
				result.next();
				integrity = result.getString(1);
			}
			if (!"ok".equals(integrity)) {
				return "the restored replica fails its integrity check: " + integrity;
			}
			try (PreparedStatement statement = connection
				.prepareStatement("SELECT count(*) FROM " + TABLE + " WHERE token = ?")) {
				statement.setString(1, this.token);
				try (ResultSet result = statement.executeQuery()) {
					result.next();
					if (result.getInt(1) != 1) {
						return "the sentinel row is missing from the restored replica";
					}
				}
			}
		}
		return null;
	}

}
