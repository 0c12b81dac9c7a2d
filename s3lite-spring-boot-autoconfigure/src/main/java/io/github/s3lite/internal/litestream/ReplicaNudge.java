package io.github.s3lite.internal.litestream;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConfig;

import io.github.s3lite.internal.replication.WalPosition;

/**
 * Makes litestream v0.3.x retry an upload that failed. After a failed replica sync, litestream waits
 * for the next change to the database before trying again, so an idle database stays behind after
 * an S3 outage until the next write or checkpoint. A nudge is one tiny write to {@value #TABLE}, made
 * only while the replica is behind, has not moved for longer than the stall interval and an error was
 * seen since it last moved, and at most once per stall interval.
 *
 * <p>
 * Thread-safe: the monitor and {@code sync()} callers share it. A nudge never waits for the database
 * lock past the caller's deadline, and none is written once {@link #close()} was called (shutdown
 * began: a write after litestream's final look would not be replicated, and closing the connection
 * that wrote it could checkpoint the WAL and start a new generation).
 */
final class ReplicaNudge {

	/** The table holding the single heartbeat row. */
	static final String TABLE = "_s3lite_heartbeat";

	private static final Logger logger = LoggerFactory.getLogger(ReplicaNudge.class);

	private static final Duration MIN_WAIT = Duration.ofMillis(50);

	private static final Duration MAX_WAIT = Duration.ofSeconds(5);

	private final Path database;

	private final Duration stall;

	private WalPosition lastProgress;

	private Instant lastProgressTime = Instant.now();

	private Instant lastNudge = Instant.EPOCH;

	private boolean closed;

	ReplicaNudge(Path database, Duration stall) {
		this.database = database;
		this.stall = stall;
	}

	/**
	 * Nudge litestream if the observation shows a replica stuck behind after an error.
	 * @param observation the latest observation
	 * @param deadlineNanos the caller's deadline ({@link System#nanoTime()})
	 * @return whether a heartbeat row was written
	 */
	synchronized boolean consider(LitestreamObservation observation, long deadlineNanos) {
		Instant now = Instant.now();
		WalPosition replica = observation.replicaPosition();
		if (replica != null && !replica.equals(this.lastProgress)) {
			this.lastProgress = replica;
			this.lastProgressTime = now;
			return false;
		}
		boolean behind = observation.localPosition() != null && !observation.replicaCaughtUp();
		boolean stalled = Duration.between(this.lastProgressTime, now).compareTo(this.stall) > 0;
		Instant lastError = observation.lastErrorTime();
		boolean failedSinceProgress = lastError != null && lastError.isAfter(this.lastProgressTime);
		boolean spaced = Duration.between(this.lastNudge, now).compareTo(this.stall) >= 0;
		if (this.closed || !observation.running() || !behind || !stalled || !failedSinceProgress || !spaced) {
			return false;
		}
		Duration remaining = Duration.ofNanos(deadlineNanos - System.nanoTime());
		if (remaining.compareTo(MIN_WAIT) < 0) {
			return false;
		}
		this.lastNudge = now;
		return write(now, (remaining.compareTo(MAX_WAIT) < 0) ? remaining : MAX_WAIT);
	}

	private boolean write(Instant now, Duration busyTimeout) {
		SQLiteConfig config = new SQLiteConfig();
		config.setBusyTimeout((int) busyTimeout.toMillis());
		try (Connection connection = config.createConnection("jdbc:sqlite:" + this.database);
				Statement statement = connection.createStatement()) {
			statement.execute("PRAGMA wal_autocheckpoint=0");
			statement.execute("CREATE TABLE IF NOT EXISTS " + TABLE + " (id INTEGER PRIMARY KEY, at TEXT NOT NULL)");
			statement.execute("INSERT OR REPLACE INTO " + TABLE + " (id, at) VALUES (1, '" + now + "')");
			logger.debug("Nudged litestream to retry the upload to the replica");
			return true;
		}
		catch (SQLException ex) {
			logger.debug("Could not nudge litestream", ex);
			return false;
		}
	}

	/**
	 * Stop nudging; waits for a nudge in progress (bounded by its lock wait).
	 */
	synchronized void close() {
		this.closed = true;
	}

}
