package io.github.s3lite.litestream;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.sqlite.SQLiteConfig;

/**
 * Makes litestream v0.3.x retry an upload that failed. After a failed replica sync, litestream waits
 * for the next change to the database before trying again, so an idle database stays behind after
 * an S3 outage until the next write or checkpoint (up to {@code checkpoint-interval}). A nudge is one
 * tiny write to {@value #TABLE}, at most once per {@code interval}, made only while the replica is
 * behind and not progressing.
 */
final class ReplicaNudge {

	/** The table holding the single heartbeat row. */
	static final String TABLE = "_s3lite_heartbeat";

	private static final Logger logger = LoggerFactory.getLogger(ReplicaNudge.class);

	private final Path database;

	private final Duration interval;

	private final Duration busyTimeout;

	private volatile Instant last = Instant.EPOCH;

	ReplicaNudge(Path database, Duration interval, Duration busyTimeout) {
		this.database = database;
		this.interval = interval;
		this.busyTimeout = busyTimeout;
	}

	/**
	 * Write the heartbeat row unless one was written within the interval.
	 */
	synchronized void nudge() {
		Instant now = Instant.now();
		if (Duration.between(this.last, now).compareTo(this.interval) < 0) {
			return;
		}
		this.last = now;
		SQLiteConfig config = new SQLiteConfig();
		config.setBusyTimeout((int) this.busyTimeout.toMillis());
		try (Connection connection = config.createConnection("jdbc:sqlite:" + this.database);
				Statement statement = connection.createStatement()) {
			statement.execute("PRAGMA wal_autocheckpoint=0");
			statement.execute("CREATE TABLE IF NOT EXISTS " + TABLE + " (id INTEGER PRIMARY KEY, at TEXT NOT NULL)");
			statement.execute("INSERT OR REPLACE INTO " + TABLE + " (id, at) VALUES (1, '" + now + "')");
			logger.debug("Nudged litestream to retry the upload to the replica");
		}
		catch (SQLException ex) {
			logger.debug("Could not nudge litestream", ex);
		}
	}

}
