package io.github.s3lite.internal.verification;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.Comparator;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.LongSupplier;
import java.util.stream.Stream;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.s3lite.internal.config.ReplicaUrl;
import io.github.s3lite.internal.engine.ReplicationEngine;
import io.github.s3lite.replication.Replication;
import io.github.s3lite.replication.ReplicationException;
import io.github.s3lite.replication.ReplicationTimeoutException;
import io.github.s3lite.internal.restore.ReplicaRestorer;
import io.github.s3lite.internal.restore.RestoreException;
import io.github.s3lite.internal.restore.RestoreResult;

/**
 * Proves the replica is restorable: writes a sentinel row into {@value #TABLE} ({@link SentinelRow}),
 * waits for it to replicate ({@link Replication#sync(Duration)}), restores the replica into a temporary
 * directory with the replication engine's restore, and looks for the row there. The whole verification
 * is bounded by one timeout ({@code s3lite.verification.timeout}): each step gets the time the previous
 * ones left. The temporary files and the sentinel row are always removed. Runs on demand and,
 * optionally, on a fixed interval.
 */
public final class ReplicaVerifier implements AutoCloseable {

	/** The table holding sentinel rows while a verification runs. */
	public static final String TABLE = "_s3lite_verification";

	private static final Logger logger = LoggerFactory.getLogger(ReplicaVerifier.class);

	private final DataSource dataSource;

	private final Replication replication;

	private final ReplicaUrl replica;

	private final RestoreStep restore;

	private final Duration timeout;

	private final LongSupplier nanoTime;

	private volatile VerificationResult lastResult;

	private ScheduledExecutorService scheduler;

	/**
	 * Create a verifier.
	 * @param dataSource the database at {@code s3lite.path} (never an unrelated application DataSource)
	 * @param replication its replication
	 * @param engine the replication engine, whose restore reads the replica
	 * @param replica the replica, or {@code null} when replication is off
	 * @param timeout how long the whole verification may take (sync and restore included)
	 */
	public ReplicaVerifier(DataSource dataSource, Replication replication, ReplicationEngine engine,
			ReplicaUrl replica, Duration timeout) {
		this(dataSource, replication, replica, (target, remaining) -> new ReplicaRestorer(engine, target, replica,
				remaining, "s3lite.backup-to")
			.restore(), timeout, System::nanoTime);
	}

	ReplicaVerifier(DataSource dataSource, Replication replication, ReplicaUrl replica, RestoreStep restore,
			Duration timeout, LongSupplier nanoTime) {
		this.dataSource = dataSource;
		this.replication = replication;
		this.replica = replica;
		this.restore = restore;
		this.timeout = timeout;
		this.nanoTime = nanoTime;
	}

	/**
	 * Verify the replica now; one verification runs at a time.
	 * @return the result, also available from {@link #lastResult()}
	 */
	public synchronized VerificationResult verify() {
		long started = System.nanoTime();
		VerificationResult result;
		if (this.replica == null) {
			result = result(VerificationResult.Outcome.FAILED, started, "replication is off (s3lite.backup-to is not set)");
		}
		else {
			result = verifyReplica(started);
		}
		this.lastResult = result;
		if (result.outcome() == VerificationResult.Outcome.VERIFIED) {
			logger.info("Replica {} verified in {} ms", this.replica, result.elapsed().toMillis());
		}
		else {
			logger.warn("Replica verification {}: {}", result.outcome(), result.detail());
		}
		return result;
	}

	private VerificationResult verifyReplica(long started) {
		Deadline deadline = Deadline.after(this.timeout, this.nanoTime);
		SentinelRow sentinel = new SentinelRow(this.dataSource);
		Path directory = null;
		try {
			sentinel.insert();
			if (deadline.expired()) {
				return result(VerificationResult.Outcome.LAGGING, started, "writing the sentinel row used up " + budget());
			}
			try {
				this.replication.sync(deadline.remaining());
			}
			catch (ReplicationTimeoutException ex) {
				return result(VerificationResult.Outcome.LAGGING, started,
						"the sentinel row did not reach the replica within " + budget() + ": " + ex.getMessage());
			}
			if (deadline.expired()) {
				return result(VerificationResult.Outcome.LAGGING, started,
						"the sentinel row reached the replica, but no time was left to restore it within " + budget());
			}
			directory = Files.createTempDirectory("s3lite-verify-");
			Path restored = directory.resolve("replica.sqlite3");
			RestoreResult restore;
			try {
				restore = this.restore.restore(restored, deadline.remaining());
			}
			catch (RestoreException ex) {
				return result(VerificationResult.Outcome.FAILED, started, deadline.expired()
						? "the replica could not be restored within " + budget() + ": " + ex.getMessage()
						: ex.getMessage());
			}
			if (!restore.restored()) {
				return result(VerificationResult.Outcome.FAILED, started, "the replica " + this.replica + " is empty");
			}
			String missing = sentinel.missingFrom(restored);
			if (missing != null) {
				return result(VerificationResult.Outcome.FAILED, started, missing);
			}
			return result(VerificationResult.Outcome.VERIFIED, started,
					"sentinel row found in a fresh restore of " + this.replica + "; integrity ok");
		}
		catch (ReplicationException ex) {
			return result(VerificationResult.Outcome.FAILED, started, ex.getMessage());
		}
		catch (IOException | SQLException | RuntimeException ex) {
			return result(VerificationResult.Outcome.FAILED, started, ex.toString());
		}
		finally {
			sentinel.deleteQuietly();
			deleteRecursively(directory);
		}
	}

	private String budget() {
		return "s3lite.verification.timeout (" + this.timeout + ")";
	}

	private static void deleteRecursively(Path directory) {
		if (directory == null) {
			return;
		}
		try (Stream<Path> files = Files.walk(directory)) {
			files.sorted(Comparator.reverseOrder()).forEach((file) -> {
				try {
					Files.deleteIfExists(file);
				}
				catch (IOException ex) {
					logger.debug("Could not delete {}", file, ex);
				}
			});
		}
		catch (IOException ex) {
			logger.debug("Could not delete {}", directory, ex);
		}
	}

	private static VerificationResult result(VerificationResult.Outcome outcome, long started, String detail) {
		return new VerificationResult(outcome, Instant.now(), Duration.ofNanos(System.nanoTime() - started), detail);
	}

	/**
	 * Return the result of the last verification.
	 * @return the result, or {@code null} before the first one
	 */
	public VerificationResult lastResult() {
		return this.lastResult;
	}

	/**
	 * Verify on a fixed interval in a background thread, the first time after one interval.
	 * @param interval the interval
	 */
	public synchronized void schedule(Duration interval) {
		if (this.scheduler != null) {
			return;
		}
		this.scheduler = Executors.newSingleThreadScheduledExecutor((runnable) -> {
			Thread thread = new Thread(runnable, "s3lite-replica-verifier");
			thread.setDaemon(true);
			return thread;
		});
		this.scheduler.scheduleWithFixedDelay(this::verifyQuietly, interval.toMillis(), interval.toMillis(),
				TimeUnit.MILLISECONDS);
	}

	private void verifyQuietly() {
		try {
			verify();
		}
		catch (RuntimeException ex) {
			logger.warn("Replica verification failed unexpectedly", ex);
		}
	}

	/**
	 * Restores the replica into a file within the time left.
	 */
	@FunctionalInterface
	interface RestoreStep {

		RestoreResult restore(Path target, Duration remaining);

	}

	@Override
	public void close() {
		ScheduledExecutorService scheduler = this.scheduler;
		if (scheduler != null) {
			scheduler.shutdownNow();
		}
	}

}
