package io.github.s3lite.internal.startup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.function.Function;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.s3lite.internal.config.S3liteConfig;
import io.github.s3lite.internal.datasource.DatabaseLock;
import io.github.s3lite.internal.engine.ReplicationEngine;
import io.github.s3lite.internal.restore.BackgroundRestore;
import io.github.s3lite.internal.restore.ContinuationRule;
import io.github.s3lite.internal.restore.DatabaseDirectory;
import io.github.s3lite.internal.restore.ReplicaRestorer;
import io.github.s3lite.internal.restore.RestoreResult;
import io.github.s3lite.internal.storage.ReplicaStore;
import io.github.s3lite.internal.storage.ReplicaStoreFactory;

/**
 * The start-up steps a {@link BackgroundRestore} runs on its own thread, exactly as
 * {@link DatabaseStartup} would run them in line: with {@code s3lite.lease.enabled}, the lease first
 * ({@link LeasedStartup#takeLease}), then the restore of the missing local file.
 */
public final class BackgroundStartup {

	private static final Logger logger = LoggerFactory.getLogger(BackgroundStartup.class);

	private BackgroundStartup() {
	}

	/**
	 * Lock the database and start the restore (and the lease) on a thread of its own, when there is a
	 * replica to restore from and no local file.
	 * @param config the configuration
	 * @param startedAt when the application context began to refresh
	 * @param engines chooses the engine, on the restore's thread
	 * @return the running restore, or {@code null} when there is nothing to restore or the database cannot
	 * be locked (the {@code s3liteDatabaseLock} bean then reports why)
	 */
	public static BackgroundRestore startIfMissing(S3liteConfig config, Instant startedAt,
			Supplier<ReplicationEngine> engines) {
		Path database = config.databasePath();
		if (config.restoreFrom() == null || Files.exists(database)) {
			return null;
		}
		DatabaseLock lock;
		try {
			DatabaseDirectory.prepare(database);
			lock = DatabaseLock.acquire(database);
		}
		catch (RuntimeException ex) {
			logger.debug("Not restoring in the background: the database cannot be locked", ex);
			return null;
		}
		return start(config, lock, startedAt, engines);
	}

	/**
	 * Start the restore (and the lease) on a thread of its own.
	 * @param config the configuration, with {@code s3lite.restore-from} set and no local file
	 * @param lock the database lock, held
	 * @param startedAt when the application context began to refresh
	 * @param engines chooses the engine, on the restore's thread (resolving litestream runs the binary); an
	 * engine that cannot be chosen fails the restore with the exception the engine bean fails with
	 * @return the running restore
	 */
	public static BackgroundRestore start(S3liteConfig config, DatabaseLock lock, Instant startedAt,
			Supplier<ReplicationEngine> engines) {
		Path database = config.databasePath();
		Function<ContinuationRule, RestoreResult> restoring = (continuation) -> {
			ReplicationEngine engine = engines.get();
			engine.releaseLeftovers(database);
			return new ReplicaRestorer(engine, database, config.restoreFrom(), config.restoreTimeout(),
					"s3lite.restore-from", continuation)
				.restore();
		};
		if (!config.lease().enabled()) {
			return BackgroundRestore.start(database, config.restoreFrom().toString(), lock,
					() -> restoring.apply(ContinuationRule.ALWAYS));
		}
		// held before the restore (a restore before it could miss the holder's last writes); writer and
		// follower alike restore a missing file
		ReplicaStore leaseStore = ReplicaStoreFactory.open(config.backupTo(), config.s3());
		return BackgroundRestore.start(database, config.restoreFrom().toString(), lock,
				() -> LeasedStartup.takeLease(config, leaseStore, startedAt), () -> closeQuietly(leaseStore),
				(lease) -> restoring.apply(LeasedStartup.continuation(lease)));
	}

	private static void closeQuietly(ReplicaStore store) {
		try {
			store.close();
		}
		catch (IOException | RuntimeException ex) {
			logger.debug("Could not close the lease's store {}", store.location(), ex);
		}
	}

}
