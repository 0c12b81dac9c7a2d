package io.github.s3lite.internal.role;

import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import com.zaxxer.hikari.HikariPoolMXBean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.s3lite.internal.config.S3liteConfig;
import io.github.s3lite.datasource.ReplicatingDataSource;
import io.github.s3lite.internal.datasource.SqliteConnectionSource;
import io.github.s3lite.internal.datasource.SqliteDatabaseFile;
import io.github.s3lite.internal.engine.ReplicationEngine;
import io.github.s3lite.internal.lease.RoleChange;
import io.github.s3lite.internal.migration.SqlMigrations;
import io.github.s3lite.replication.Replication;
import io.github.s3lite.internal.replication.StoppedEnd;
import io.github.s3lite.internal.replication.SwitchableReplication;
import io.github.s3lite.internal.restore.ContinuationRule;
import io.github.s3lite.internal.restore.FollowedCopy;
import io.github.s3lite.internal.restore.RecordedContinuation;
import io.github.s3lite.internal.restore.ReplicaCatchUp;
import io.github.s3lite.internal.storage.WritePermit;

/**
 * The {@link RoleChange} of s3lite's pool, local file and replication.
 * <ul>
 * <li>Becoming the writer: suspend the pool (callers of {@code getConnection()} wait), evict its
 * connections and wait, bounded by {@link #DRAIN_TIMEOUT}, until every connection to the stale file is
 * closed; switch new connections from a follower's published copy back to {@code s3lite.path} and
 * replace that file with the replica's newest state ({@link ReplicaCatchUp}: the follower's follow file
 * when it stands there, else a restore); start replication;
 * run {@code s3lite.migrations} (deferred on a follower).</li>
 * <li>Handing over: suspend the pool and wait until no connection is in use (a commit in flight ends),
 * flush and stop replication, bounded by {@code s3lite.shutdown-sync-timeout}
 * ({@link SwitchableReplication#flushAndStopActive}: litestream's own final upload, confirmed by its
 * exit, else {@link Replication#sync} then a stop); a final upload that is not confirmed starts
 * replication again and the hand-over is aborted.</li>
 * </ul>
 */
public final class WriterTransitions implements RoleChange, AutoCloseable {

	/** The longest time to wait for connections in use to be returned. */
	public static final Duration DRAIN_TIMEOUT = Duration.ofSeconds(10);

	private static final Logger logger = LoggerFactory.getLogger(WriterTransitions.class);

	private final S3liteConfig config;

	private final ReplicatingDataSource pool;

	private final SqliteConnectionSource connections;

	private final ReplicationEngine engine;

	private final SwitchableReplication replication;

	private final List<String> engineStatements;

	private final WritePermit permit;

	private final FollowedCopy followed;

	private volatile Optional<String> continuedFrom = Optional.empty();

	private volatile boolean closed;

	/**
	 * Create the transitions.
	 * @param config the configuration
	 * @param pool s3lite's pool
	 * @param engine the replication engine
	 * @param replication the switchable replication of the database
	 * @param permit whether the replica may be written (the lease is held)
	 * @param followed the follower's copy of the replica, installed instead of a restore when it stands
	 * where the restore would end, or {@code null} to always restore
	 */
	public WriterTransitions(S3liteConfig config, ReplicatingDataSource pool, ReplicationEngine engine,
			SwitchableReplication replication, WritePermit permit, FollowedCopy followed) {
		this.permit = permit;
		this.followed = followed;
		this.config = config;
		this.pool = pool;
		this.connections = (SqliteConnectionSource) pool.getDataSource();
		this.engine = engine;
		this.replication = replication;
		this.engineStatements = engine.connectionStatements();
	}

	@Override
	public boolean startWriting(boolean localIsTail, ContinuationRule continuation) {
		if (this.closed || !drain(true)) {
			return false;
		}
		this.continuedFrom = Optional.empty();
		// a follower's readers read its published copy of the replica; the writer writes s3lite.path
		this.connections.usePrimary();
		try {
			if (localIsTail) {
				logger.info("Local database {} is the tail of {} (this instance wrote it last); resuming it",
						this.config.databasePath(), this.config.backupTo());
			}
			else {
				RecordedContinuation recorded = new RecordedContinuation(continuation);
				ReplicaCatchUp catchUp = new ReplicaCatchUp(this.engine, this.config.databasePath(),
						this.config.backupTo(), this.config.restoreTimeout(), recorded);
				(this.followed != null ? catchUp.from(this.followed) : catchUp).replace();
				this.continuedFrom = recorded.continuedEnd();
			}
			SqliteDatabaseFile.initialize(this.config, this.engineStatements);
			Replication started = this.engine.start(this.config.databasePath(), this.config.backupTo(), this.permit);
			if (this.closed || !this.replication.switchTo(started)) {
				return false;
			}
			new SqlMigrations(new SqliteConnectionSource(this.config.databasePath(), this.config.synchronous(),
					this.config.txLock(), this.config.busyTimeout(), this.engineStatements), this.config.migrations())
				.migrate();
			return true;
		}
		catch (RuntimeException | SQLException ex) {
			logger.error("Could not become the writer of {}: {}", this.config.backupTo(), ex.getMessage(), ex);
			abortWriting();
			return false;
		}
	}

	@Override
	public boolean stopWriting() {
		if (this.closed || !drain(false)) {
			return false;
		}
		try {
			if (this.replication.flushAndStopActive(this.config.shutdownSyncTimeout())) {
				return true;
			}
		}
		catch (RuntimeException ex) {
			logger.warn("Could not flush {} before handing over: {}", this.config.backupTo(), ex.getMessage());
			return false;
		}
		if (!this.permit.granted()) {
			// fenced meanwhile: replication starts again only once the lease is re-taken
			logger.warn("The final upload to {} was not confirmed and this instance is fenced; not handing over",
					this.config.backupTo());
			return false;
		}
		logger.warn("The final upload to {} was not confirmed; not handing over, replicating again",
				this.config.backupTo());
		try {
			this.replication.switchTo(this.engine.start(this.config.databasePath(), this.config.backupTo(), this.permit));
			if (!this.permit.granted()) {
				this.replication.haltActive("this instance is fenced");
			}
		}
		catch (RuntimeException ex) {
			logger.error("Could not start replicating {} again: {}; sync() fails until this instance replicates",
					this.config.backupTo(), ex.getMessage(), ex);
		}
		return false;
	}

	@Override
	public void abortWriting() {
		this.replication.haltActive("this instance is not the writer");
	}

	/**
	 * Return where the replica ends, unless the last flush failed: the replica is then unreachable or
	 * behind, and a successor is better off starting a new generation than waiting for a seal here.
	 */
	@Override
	public Optional<String> replicaEnd() {
		if (this.replication.lastSyncFailed()) {
			return Optional.empty();
		}
		// known without a listing, which may lag the writes: the stopped replication's last upload, else (it
		// uploaded nothing) the end the catch-up continued from
		StoppedEnd stopped = this.replication.stoppedEnd();
		if (stopped.knowsItsEnd()) {
			Optional<String> known = stopped.end().or(() -> this.continuedFrom);
			// nothing uploaded since it resumed its own file: its end is the listing's
			return known.isPresent() ? known : this.engine.replicaEnd(this.config.backupTo());
		}
		// else read from a listing, only when it shows where the stopped replication had committed
		return (stopped.committed() != null) ? this.engine.replicaEndAt(this.config.backupTo(), stopped.committed())
				: this.engine.replicaEnd(this.config.backupTo());
	}

	@Override
	public Path database() {
		return this.config.databasePath();
	}

	/**
	 * Let connections be handed out again; the idle ones opened before the change are replaced, so that
	 * none keeps the state (fenced, {@code query_only}) of the role it was opened under.
	 */
	@Override
	public void resume() {
		this.connections.setBlocked(false);
		HikariPoolMXBean running = this.pool.getHikariPoolMXBean();
		if (running != null && !this.pool.isClosed()) {
			running.softEvictConnections();
			running.resumePool();
		}
	}

	private boolean drain(boolean closeConnections) {
		HikariPoolMXBean running = this.pool.getHikariPoolMXBean();
		if (this.pool.isClosed()) {
			return false;
		}
		if (closeConnections) {
			this.connections.setBlocked(true);
		}
		if (running != null) {
			running.suspendPool();
			if (closeConnections) {
				running.softEvictConnections();
			}
		}
		long deadline = System.nanoTime() + DRAIN_TIMEOUT.toNanos();
		while (System.nanoTime() < deadline) {
			boolean idle = running == null || running.getActiveConnections() == 0;
			if (idle && (!closeConnections || this.connections.openConnections() == 0)) {
				return true;
			}
			try {
				Thread.sleep(10);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return false;
			}
		}
		logger.warn("Connections of {} were still in use after {}; not changing role now", this.config.databasePath(),
				DRAIN_TIMEOUT);
		return false;
	}

	/**
	 * Refuse every later change of role (the context is closing).
	 */
	@Override
	public void close() {
		this.closed = true;
	}

}
