package io.github.s3lite.autoconfigure;

import java.util.List;
import java.util.stream.Stream;

import javax.sql.DataSource;

import io.github.s3lite.datasource.ReplicatingDataSource;
import io.github.s3lite.internal.config.S3liteConfig;
import io.github.s3lite.internal.datasource.SqliteConnectionSource;
import io.github.s3lite.internal.datasource.SqliteDatabaseFile;
import io.github.s3lite.replication.Replication;

/**
 * Chooses how s3lite's own work (migrations, replica verification) reaches the database at
 * {@code s3lite.path}, and never an application's unrelated {@code DataSource}: s3lite's
 * {@link ReplicatingDataSource} when the context has it, otherwise connections that s3lite opens to
 * {@code s3lite.path} itself, one per use, with the same pragmas. Closing the last connection to the
 * file checkpoints and deletes its WAL (see {@link SqliteDatabaseFile}); once litestream observes the
 * database it holds a connection of its own, so this only matters in the first moments after it starts.
 */
final class LocalDatabase {

	private LocalDatabase() {
	}

	/**
	 * Return the data source for s3lite's own work on {@code s3lite.path}.
	 * @param config the configuration
	 * @param replication the replication of {@code s3lite.path}
	 * @param engineStatements the statements the replication engine needs on every connection
	 * @param candidates the context's {@link ReplicatingDataSource} beans
	 * @return s3lite's pool for {@code s3lite.path}, or a connection source for that file
	 */
	static DataSource of(S3liteConfig config, Replication replication, List<String> engineStatements,
			Stream<ReplicatingDataSource> candidates) {
		return candidates.filter((candidate) -> candidate.getReplication() == replication)
			.findFirst()
			.<DataSource>map((pool) -> pool)
			.orElseGet(() -> new SqliteConnectionSource(config.databasePath(), config.synchronous(), config.txLock(),
					config.busyTimeout(), engineStatements));
	}

}
