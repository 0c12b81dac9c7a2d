package io.github.s3lite.datasource;

import java.time.Duration;

import com.zaxxer.hikari.HikariDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.s3lite.replication.Replication;
import io.github.s3lite.replication.ReplicationStatus;
import io.github.s3lite.internal.datasource.SqliteConnectionSource;

/**
 * The s3lite {@code DataSource}: a HikariCP pool over a replicated SQLite file that also offers
 * {@link #sync(Duration)} and {@link #status()}, and owns the shutdown order. {@link #close()} closes
 * the pool first, then stops replication, so litestream's final upload sees the WAL intact and the
 * next start continues the same generation.
 */
public class ReplicatingDataSource extends HikariDataSource {

	private static final Logger logger = LoggerFactory.getLogger(ReplicatingDataSource.class);

	private final Replication replication;

	/**
	 * Create a data source.
	 * @param connections opens the SQLite connections
	 * @param replication the replication of the database
	 */
	public ReplicatingDataSource(SqliteConnectionSource connections, Replication replication) {
		this.replication = replication;
		setDataSource(connections);
		setPoolName("s3lite");
	}

	/**
	 * Block until the replica holds every transaction committed before this call. A no-op without
	 * {@code s3lite.backup-to}.
	 * @param timeout the longest time to wait
	 * @throws io.github.s3lite.replication.ReplicationException on timeout or replica error
	 */
	public void sync(Duration timeout) {
		this.replication.sync(timeout);
	}

	/**
	 * Return the replication status, without network I/O.
	 * @return the status
	 */
	public ReplicationStatus status() {
		return this.replication.status();
	}

	/**
	 * Return the replication behind this data source.
	 * @return the replication
	 */
	public Replication getReplication() {
		return this.replication;
	}

	/**
	 * Close the pool, then stop replication (litestream's own final upload, bounded by
	 * {@code s3lite.litestream.shutdown-timeout}).
	 */
	@Override
	public void close() {
		if (!isClosed()) {
			super.close();
			logger.info("Connection pool closed");
		}
		this.replication.stop();
	}

}
