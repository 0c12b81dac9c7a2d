package io.github.s3lite.test;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.concurrent.TimeUnit;

/**
 * Restores a replica with the litestream binary directly, without s3lite's code, so that tests check
 * the replica independently of what they test.
 */
public final class IndependentRestore {

	private static Path binary;

	private IndependentRestore() {
	}

	/**
	 * Restore the newest state of an S3 replica into a new file.
	 * @param server the S3 server
	 * @param bucket the bucket
	 * @param prefix the key prefix
	 * @param output the file to create
	 * @return the output file, or {@code null} when the replica is empty
	 */
	public static Path fromS3(S3ProxyServer server, String bucket, String prefix, Path output) {
		String yaml = "dbs:\n  - path: \"/s3lite-test/db\"\n    replicas:\n      - type: s3\n        bucket: \"" + bucket
				+ "\"\n        path: \"" + prefix + "\"\n        endpoint: \"" + server.endpoint()
				+ "\"\n        region: us-east-1\n        force-path-style: true\n";
		return run(yaml, output, true);
	}

	/**
	 * Restore the newest state of a file replica into a new file.
	 * @param replicaDirectory the replica directory
	 * @param output the file to create
	 * @return the output file, or {@code null} when the replica is empty
	 */
	public static Path fromDirectory(Path replicaDirectory, Path output) {
		String yaml = "dbs:\n  - path: \"/s3lite-test/db\"\n    replicas:\n      - type: file\n        path: \""
				+ replicaDirectory.toAbsolutePath() + "\"\n";
		return run(yaml, output, false);
	}

	private static Path run(String yaml, Path output, boolean credentials) {
		try {
			Path config = Files.createTempFile("s3lite-test-restore", ".yml");
			Files.writeString(config, yaml);
			ProcessBuilder builder = new ProcessBuilder(binary().toString(), "restore", "-config", config.toString(),
					"-if-replica-exists", "-o", output.toString(), "/s3lite-test/db")
				.redirectErrorStream(true);
			if (credentials) {
				builder.environment().put("AWS_ACCESS_KEY_ID", S3ProxyServer.ACCESS_KEY);
				builder.environment().put("AWS_SECRET_ACCESS_KEY", S3ProxyServer.SECRET_KEY);
			}
			Process process = builder.start();
			String log = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			if (!process.waitFor(120, TimeUnit.SECONDS) || process.exitValue() != 0) {
				throw new IllegalStateException("litestream restore failed: " + log);
			}
			Files.deleteIfExists(config);
			return Files.exists(output) ? output : null;
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * Return the bundled litestream binary, copied once to a private temporary file.
	 * @return the executable
	 */
	public static synchronized Path binary() {
		if (binary == null) {
			try (InputStream in = IndependentRestore.class.getClassLoader()
				.getResourceAsStream("io/github/s3lite/litestream/linux-x86_64/litestream")) {
				if (in == null) {
					throw new IllegalStateException("s3lite-litestream-binaries is not on the test classpath");
				}
				Path directory = Files.createTempDirectory("s3lite-test-bin");
				Path file = directory.resolve("litestream");
				Files.copy(in, file, StandardCopyOption.REPLACE_EXISTING);
				Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwx------"));
				file.toFile().deleteOnExit();
				directory.toFile().deleteOnExit();
				binary = file;
			}
			catch (IOException ex) {
				throw new IllegalStateException(ex);
			}
		}
		return binary;
	}

	/**
	 * Count the rows of a table in a database file.
	 * @param database the database file
	 * @param table the table
	 * @return the row count
	 */
	public static long count(Path database, String table) {
		return queryLong(database, "SELECT count(*) FROM " + table);
	}

	/**
	 * Run {@code PRAGMA integrity_check}.
	 * @param database the database file
	 * @return its result, {@code ok} for a sound database
	 */
	public static String integrityCheck(Path database) {
		try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + database);
				Statement statement = connection.createStatement();
				ResultSet result = statement.executeQuery("PRAGMA integrity_check")) {
			result.next();
			return result.getString(1);
		}
		catch (SQLException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * Run a query that returns one number.
	 * @param database the database file
	 * @param sql the query
	 * @return the number
	 */
	public static long queryLong(Path database, String sql) {
		try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + database);
				Statement statement = connection.createStatement();
				ResultSet result = statement.executeQuery(sql)) {
			result.next();
			return result.getLong(1);
		}
		catch (SQLException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
