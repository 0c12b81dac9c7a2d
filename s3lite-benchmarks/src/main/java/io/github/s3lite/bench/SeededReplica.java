package io.github.s3lite.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;

import org.springframework.context.ConfigurableApplicationContext;

import io.github.s3lite.datasource.ReplicatingDataSource;
import io.github.s3lite.test.S3ProxyServer;

/**
 * A replica in S3Proxy of a database of a given size, written by s3lite itself (litestream's snapshot and
 * WAL segments of one generation).
 *
 * @param prefix the replica prefix
 * @param databaseBytes the size of the database file that was replicated
 * @param rows the rows of {@code items}
 * @param keys the replica's objects
 */
record SeededReplica(String prefix, long databaseBytes, long rows, List<String> keys) {

	private static final int ROWS_PER_CHUNK = 1_000;

	/**
	 * Create a database of at least {@code targetBytes} (rows of about 0.8 KB of random hex text, which lz4
	 * compresses to about 80 %) and replicate it to {@code prefix}.
	 * @param s3 the S3 server
	 * @param prefix the replica prefix
	 * @param targetBytes the database size to reach
	 * @param work a scratch directory
	 * @return the replica
	 */
	static SeededReplica create(S3ProxyServer s3, String prefix, long targetBytes, Path work) throws Exception {
		Path database = work.resolve(prefix + ".sqlite3");
		Files.createDirectories(work);
		long rows = 0;
		try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + database);
				Statement statement = connection.createStatement()) {
			statement.execute(BenchApps.ITEMS);
			try (PreparedStatement insert = connection.prepareStatement("WITH RECURSIVE c(x) AS (SELECT 1 UNION ALL "
					+ "SELECT x + 1 FROM c WHERE x < ?) INSERT INTO items (name, payload) "
					+ "SELECT 'item-' || x, hex(randomblob(400)) FROM c")) {
				while (Files.size(database) < targetBytes) {
					insert.setInt(1, ROWS_PER_CHUNK);
					rows += insert.executeUpdate();
				}
			}
			statement.execute("PRAGMA journal_mode=WAL");
		}
		catch (SQLException ex) {
			throw new IllegalStateException("Could not create " + database, ex);
		}
		long bytes = Files.size(database);
		var properties = BenchApps.replicated(s3.endpoint(), database.toString(), prefix);
		properties.remove("s3lite.restore-from");
		properties.put("s3lite.engine", "litestream");
		try (ConfigurableApplicationContext context = BenchApps.start(properties)) {
			context.getBean(ReplicatingDataSource.class).sync(Duration.ofMinutes(30));
		}
		Files.deleteIfExists(database);
		List<String> keys = s3.keys(BenchApps.BUCKET, prefix + "/");
		return new SeededReplica(prefix, bytes, rows, keys);
	}

	/**
	 * Return the size of the replica's objects, which a restore downloads.
	 * @param objects the S3 client
	 * @return the bytes
	 */
	long replicaBytes(ReplicaObjects objects) {
		return objects.size(this.keys);
	}

	/**
	 * Put the replica back as seeded: delete what applications restored from it wrote since (a new
	 * generation, or the WAL indexes by which they continued this one), so that every start restores the
	 * same objects.
	 * @param s3 the S3 server
	 */
	void resetToSeed(S3ProxyServer s3) {
		for (String key : s3.keys(BenchApps.BUCKET, this.prefix + "/generations/")) {
			if (!this.keys.contains(key)) {
				s3.deletePrefix(BenchApps.BUCKET, key);
			}
		}
	}

}
