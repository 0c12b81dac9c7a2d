package io.github.s3lite.datasource;

import java.sql.Connection;
import java.sql.SQLException;
import java.time.Duration;
import java.util.Objects;

import com.zaxxer.hikari.HikariDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.sqlite.SQLiteConnection;

import io.github.s3lite.internal.datasource.FollowerRefresh;
import io.github.s3lite.internal.replication.CommittedPosition;
import io.github.s3lite.internal.replication.ReplicaPositions;
import io.github.s3lite.replication.ReplicaPosition;
import io.github.s3lite.replication.Replication;
import io.github.s3lite.replication.ReplicationStatus;
import io.github.s3lite.internal.datasource.SqliteConnectionSource;

/**
 * The s3lite {@code DataSource}: a HikariCP pool over a replicated SQLite file that also offers
 * {@link #sync(Duration)} and {@link #status()}, and owns the shutdown order. {@link #close()} closes
 * the pool first, then stops replication, so litestream's final upload sees the WAL intact and the
 * next start continues the same generation. On a follower (single-writer lease), connections read the
 * newest copy of the replica the follower published; {@link #refresh()} brings it up to date at once, and
 * {@link #awaitPosition(ReplicaPosition, Duration)} until it reached the writer's {@link #currentPosition()}
 * (read-your-writes).
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
	 * Hand out a connection to the database as it is now: on a follower, never one opened on a copy it
	 * has since replaced (such a connection is evicted and another one taken), so that a caller that
	 * saw a refresh never reads the state before it.
	 */
	@Override
	public Connection getConnection() throws SQLException {
		SqliteConnectionSource source = sqliteSource();
		for (int attempt = 0;; attempt++) {
			Connection connection = super.getConnection();
			if (source == null || attempt >= 10 || !connection.isWrapperFor(SQLiteConnection.class)
					|| source.isCurrent(connection.unwrap(SQLiteConnection.class))) {
				return connection;
			}
			evictConnection(connection);
		}
	}

	/**
	 * Catch up with the replica now and return the position the database this instance reads has
	 * reached. On a follower (the single-writer lease is held by another instance), this checks the
	 * replica and, when it moved, publishes its newest state to new transactions before returning; on
	 * the writer, it returns the position known to be in the replica (see {@link #sync(Duration)} to
	 * wait for it).
	 * @return the position, {@code null} when the replica is empty or nothing is known to be in it
	 * @throws io.github.s3lite.replication.ReplicationException when the replica cannot be read
	 */
	public ReplicaPosition refresh() {
		return this.replication.refresh();
	}

	/**
	 * Return the replica position of the newest state this instance's connections see, the token of
	 * read-your-writes: on the writer, the position that holds every transaction committed before this
	 * call (read from the local WAL; the replica holds it once uploaded, see {@link #sync(Duration)}); on a
	 * follower, the position its readers reached (as published, without reading the replica). Another
	 * instance's {@link #awaitPosition(ReplicaPosition, Duration)} waits for it; its text
	 * ({@code toString()}) is what the {@code S3lite-Position} header carries.
	 * @return the position, {@code null} when none is known yet (an empty replica, replication not
	 * running, a follower before its first refresh)
	 */
	public ReplicaPosition currentPosition() {
		FollowerRefresh follower = follower();
		if (follower != null && follower.following()) {
			return follower.publishedPosition();
		}
		return (this.replication instanceof CommittedPosition committed) ? committed.committedPosition()
				: this.replication.status().localPosition();
	}

	/**
	 * Wait until the database this instance reads has reached a position, typically the
	 * {@link #currentPosition()} the writer returned after a write (read-your-writes). On a follower, it
	 * refreshes from the replica when the position is not published yet, then waits for the next check,
	 * at most one per 200 ms however many callers wait; on the writer (or without the lease) it returns
	 * {@code true} at once. A position of another generation than the follower's is reached only once the
	 * follower follows that generation.
	 * @param position the position to reach (not {@code null}), e.g. the writer's {@code S3lite-Position}
	 * header, parsed
	 * @param timeout the longest wait; {@link Duration#ZERO} only looks at what is published
	 * @return whether the readers' database reached it; {@code false} on timeout, or when interrupted
	 * (the thread's interrupt flag is set again)
	 */
	public boolean awaitPosition(ReplicaPosition position, Duration timeout) {
		Objects.requireNonNull(position, "position");
		FollowerRefresh follower = follower();
		return follower == null || follower.awaitPosition(position, timeout);
	}

	/**
	 * Wait as {@link #awaitPosition(ReplicaPosition, Duration)} does for a position given as the text of its
	 * {@code toString()}, for example the {@code S3lite-Position} header of the writer's response or a token
	 * sent along with a message. The text is opaque to its holder: only s3lite knows its format.
	 * @param position the position's text
	 * @param timeout the longest wait
	 * @return whether the readers' database reached it
	 * @throws IllegalArgumentException when the text is not a position s3lite wrote, naming the expected form
	 */
	public boolean awaitPosition(String position, Duration timeout) {
		return awaitPosition(ReplicaPositions.parse(position), timeout);
	}

	private FollowerRefresh follower() {
		SqliteConnectionSource source = sqliteSource();
		return (source != null) ? source.follower() : null;
	}

	private SqliteConnectionSource sqliteSource() {
		return (getDataSource() instanceof SqliteConnectionSource source) ? source : null;
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
