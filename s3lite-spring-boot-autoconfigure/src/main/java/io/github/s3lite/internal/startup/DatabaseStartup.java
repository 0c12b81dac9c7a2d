package io.github.s3lite.internal.startup;

import java.time.Duration;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.s3lite.internal.config.S3liteConfig;
import io.github.s3lite.internal.datasource.DatabaseLock;
import io.github.s3lite.internal.datasource.SqliteDatabaseFile;
import io.github.s3lite.internal.engine.ReplicationEngine;
import io.github.s3lite.internal.lifecycle.DatabaseLifecycle;
import io.github.s3lite.internal.lifecycle.LifecycleState;
import io.github.s3lite.replication.Replication;
import io.github.s3lite.internal.restore.BackgroundRestore;
import io.github.s3lite.internal.restore.ContinuationRule;
import io.github.s3lite.internal.restore.DatabaseDirectory;
import io.github.s3lite.internal.restore.ReplicaCheck;
import io.github.s3lite.internal.restore.ReplicaRestorer;
import io.github.s3lite.internal.restore.RestoreResult;

/**
 * The start-up of a replicated database, step by step on its {@link DatabaseLifecycle}: the lock, the
 * restore (or its result, when a {@link BackgroundRestore} ran it), opening the file and starting
 * replication, which ends {@link LifecycleState#STARTING}. A lone writer ({@link LoneWriterStartup})
 * and an instance under the single-writer lease ({@link LeasedStartup}) differ in what they restore,
 * whether they replicate at once and which migrations they run.
 */
public abstract sealed class DatabaseStartup permits LoneWriterStartup, LeasedStartup {

	private static final Logger logger = LoggerFactory.getLogger(DatabaseStartup.class);

	final S3liteConfig config;

	final ReplicationEngine engine;

	final DatabaseLifecycle lifecycle;

	final BackgroundRestore background;

	DatabaseStartup(S3liteConfig config, ReplicationEngine engine, DatabaseLifecycle lifecycle,
			BackgroundRestore background) {
		this.config = config;
		this.engine = engine;
		this.lifecycle = lifecycle;
		this.background = owns(background, config) ? background : null;
	}

	static boolean owns(BackgroundRestore background, S3liteConfig config) {
		return background != null
				&& background.restores(config.databasePath(), String.valueOf(config.restoreFrom()));
	}

	/**
	 * Take the lock of the local database: the one a background restore of it already holds, else a new
	 * one (creating its directory).
	 * @param config the configuration
	 * @param background the background restore, or {@code null}
	 * @return the lock
	 */
	public static DatabaseLock lock(S3liteConfig config, BackgroundRestore background) {
		if (owns(background, config)) {
			return background.lock();
		}
		DatabaseDirectory.prepare(config.databasePath());
		return DatabaseLock.acquire(config.databasePath());
	}

	/**
	 * Restore the database, or wait for the background restore that does.
	 * @return what was restored
	 */
	public final RestoreResult restore() {
		try {
			if (this.background != null) {
				return this.background.await();
			}
			this.engine.releaseLeftovers(this.config.databasePath());
			return restoreInLine();
		}
		catch (RuntimeException | Error ex) {
			failed(ex);
			throw ex;
		}
	}

	abstract RestoreResult restoreInLine();

	/**
	 * Open the restored file and start replication, ending start-up.
	 * @param restored what the restore did
	 * @return the replication of the database ({@link Replication#NONE} without {@code s3lite.backup-to})
	 */
	public final Replication startReplication(RestoreResult restored) {
		try {
			SqliteDatabaseFile.initialize(this.config, engineStatements());
			opened(restored);
			if (!this.config.replicating()) {
				replicationOff();
				this.lifecycle.moveTo(LifecycleState.WRITING, "no replica to write to");
				return Replication.NONE;
			}
			return replicate(restored);
		}
		catch (RuntimeException | Error ex) {
			failed(ex);
			throw ex;
		}
	}

	/** Say that the database is not replicated ({@code s3lite.backup-to} is not set). */
	void replicationOff() {
		logger.info("Replication is off (s3lite.backup-to is not set) for {}", this.config.databasePath());
	}

	/** The file opened: mark it, when the lease is on. */
	abstract void opened(RestoreResult restored);

	/** Start replication and end start-up. */
	abstract Replication replicate(RestoreResult restored);

	/**
	 * Return the migrations to run now: {@code s3lite.migrations}, none on a follower (it runs them when it
	 * becomes the writer).
	 * @return the statements
	 */
	public abstract List<String> migrations();

	/**
	 * Return whether this instance may change role while it runs (the pool must then allow suspension).
	 * @return whether the lease is on
	 */
	public abstract boolean changesRole();

	/**
	 * Return the statements every connection runs for the replication engine, none when the database
	 * is not replicated.
	 * @return the statements
	 */
	public final List<String> engineStatements() {
		return this.config.replicating() ? this.engine.connectionStatements() : List.of();
	}

	/**
	 * Check that the replica can be written, unless the restore just read it.
	 */
	final void checkReplica(RestoreResult restored, boolean replicaJustRead) {
		boolean justRead = replicaJustRead || this.config.backupTo().equals(this.config.restoreFrom())
				&& restored.outcome() != RestoreResult.Outcome.LOCAL_FILE_EXISTS;
		if (!justRead) {
			ReplicaCheck.check(this.engine, this.config.databasePath(), this.config.backupTo());
		}
	}

	private void failed(Throwable ex) {
		if (this.lifecycle.state() == LifecycleState.STARTING) {
			this.lifecycle.moveTo(LifecycleState.FAILED, String.valueOf(ex.getMessage()));
		}
	}

	/**
	 * Restore {@code s3lite.restore-from} in line.
	 * @param config the configuration
	 * @param engine the engine
	 * @param continuation whether the restored database continues the replica's generation
	 * @return what was restored
	 */
	static RestoreResult restore(S3liteConfig config, ReplicationEngine engine, ContinuationRule continuation) {
		if (config.restoreFrom() == null) {
			return new RestoreResult(RestoreResult.Outcome.NOT_CONFIGURED, null, 0, Duration.ZERO);
		}
		return new ReplicaRestorer(engine, config.databasePath(), config.restoreFrom(), config.restoreTimeout(),
				"s3lite.restore-from", continuation)
			.restore();
	}

}
