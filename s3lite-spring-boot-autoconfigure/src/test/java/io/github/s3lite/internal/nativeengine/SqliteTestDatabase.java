package io.github.s3lite.internal.nativeengine;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.HexFormat;

/**
 * A live application database for replication tests: WAL mode, automatic checkpoints off, one
 * connection held open (so that the WAL stays), rows numbered from 1 with a payload.
 */
final class SqliteTestDatabase implements AutoCloseable {

	private final Path file;

	private final Connection connection;

	private int rows;

	SqliteTestDatabase(Path file) throws SQLException {
		this.file = file;
		this.connection = DriverManager.getConnection("jdbc:sqlite:" + file);
		try (Statement statement = this.connection.createStatement()) {
			statement.execute("PRAGMA journal_mode=WAL");
			statement.execute("PRAGMA wal_autocheckpoint=0");
			statement.execute("PRAGMA busy_timeout=5000");
			statement.execute("CREATE TABLE IF NOT EXISTS t (id INTEGER PRIMARY KEY, payload BLOB)");
		}
	}

	Path file() {
		return this.file;
	}

	int rows() {
		return this.rows;
	}

	/** Insert rows in one transaction, each with a random payload of the given size. */
	void insert(int count, int payloadBytes) throws SQLException {
		try (PreparedStatement insert = this.connection
			.prepareStatement("INSERT INTO t (id, payload) VALUES (?, randomblob(?))")) {
			this.connection.setAutoCommit(false);
			for (int i = 0; i < count; i++) {
				insert.setInt(1, ++this.rows);
				insert.setInt(2, payloadBytes);
				insert.executeUpdate();
			}
			this.connection.commit();
		}
		finally {
			this.connection.setAutoCommit(true);
		}
	}

	/** Run a checkpoint from a separate connection, as an application would. */
	void checkpoint(String mode) throws SQLException {
		try (Connection other = DriverManager.getConnection("jdbc:sqlite:" + this.file);
				Statement statement = other.createStatement();
				ResultSet result = statement.executeQuery("PRAGMA wal_checkpoint(" + mode + ")")) {
			result.next();
		}
	}

	/** Return the row count and a SHA-256 over every row in id order, as a fingerprint of the content. */
	static String fingerprint(Path database) throws SQLException {
		try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + database);
				Statement statement = connection.createStatement();
				ResultSet result = statement.executeQuery("SELECT id, payload FROM t ORDER BY id")) {
			MessageDigest digest = MessageDigest.getInstance("SHA-256");
			long count = 0;
			while (result.next()) {
				count++;
				digest.update(Long.toString(result.getLong(1)).getBytes(StandardCharsets.US_ASCII));
				digest.update(result.getBytes(2));
			}
			return count + " rows, sha256 " + HexFormat.of().formatHex(digest.digest());
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	String fingerprint() throws SQLException {
		return fingerprint(this.file);
	}

	@Override
	public void close() throws SQLException {
		this.connection.close();
	}

}
