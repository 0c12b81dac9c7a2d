package io.github.s3lite.sample;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.LinkedHashMap;
import java.util.Map;

import io.github.s3lite.internal.config.S3Connection;
import io.github.s3lite.internal.nativeengine.NativeRestore;
import io.github.s3lite.internal.nativeengine.format.LitestreamV03Format;
import io.github.s3lite.internal.storage.S3ClientFactory;
import io.github.s3lite.internal.storage.S3ReplicaStore;
import io.github.s3lite.test.S3ProxyServer;

/**
 * s3lite's own restore of a replica on S3Proxy, beside the litestream binary's
 * ({@link io.github.s3lite.test.IndependentRestore}), and the notes a restored database holds.
 */
final class NativeRestoreCheck {

	private NativeRestoreCheck() {
	}

	/**
	 * Restore a replica with the native engine's restore.
	 * @param server the S3 server
	 * @param bucket the bucket
	 * @param prefix the replica's prefix
	 * @param output the file to create
	 * @return {@code output}
	 * @throws IOException on a storage or file error
	 */
	static Path restore(S3ProxyServer server, String bucket, String prefix, Path output) throws IOException {
		try (S3ReplicaStore store = new S3ReplicaStore(
				S3ClientFactory.create(S3Connection.of(server.endpoint(), null, null, S3ProxyServer.ACCESS_KEY,
						S3ProxyServer.SECRET_KEY)),
				bucket, prefix, S3ReplicaStore.DEFAULT_PART_SIZE, true)) {
			new NativeRestore(store, new LitestreamV03Format(), NativeRestore.DEFAULT_PARALLELISM).restore(output);
		}
		return output;
	}

	/**
	 * Return the notes of a database, by id.
	 * @param database the database
	 * @return id to text, in id order
	 */
	static Map<Long, String> notes(Path database) {
		Map<Long, String> notes = new LinkedHashMap<>();
		try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + database);
				Statement statement = connection.createStatement();
				ResultSet rows = statement.executeQuery("SELECT id, text FROM notes ORDER BY id")) {
			while (rows.next()) {
				notes.put(rows.getLong(1), rows.getString(2));
			}
			return notes;
		}
		catch (SQLException ex) {
			throw new IllegalStateException("Could not read the notes of " + database, ex);
		}
	}

}
