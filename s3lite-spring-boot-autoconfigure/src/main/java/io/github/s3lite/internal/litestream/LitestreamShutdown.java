package io.github.s3lite.internal.litestream;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.OptionalInt;
import java.util.concurrent.ScheduledExecutorService;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How one {@link LitestreamReplication} ends, once: {@link #stop(Duration)} lets litestream upload
 * what is left, {@link #halt()} kills it at once. Both stop the nudging and the monitor, close the
 * connection that kept the WAL and delete litestream's work directory.
 */
final class LitestreamShutdown {

	private static final Logger logger = LoggerFactory.getLogger(LitestreamReplication.class);

	private final Path database;

	private final LitestreamSupervisor supervisor;

	private final ReplicaNudge nudge;

	private final ScheduledExecutorService monitor;

	private final Connection walKeeper;

	private final Path workDirectory;

	private final Object stopLock = new Object();

	private volatile boolean stopped;

	LitestreamShutdown(Path database, LitestreamSupervisor supervisor, ReplicaNudge nudge,
			ScheduledExecutorService monitor, Connection walKeeper, Path workDirectory) {
		this.database = database;
		this.supervisor = supervisor;
		this.nudge = nudge;
		this.monitor = monitor;
		this.walKeeper = walKeeper;
		this.workDirectory = workDirectory;
	}

	/** Whether replication was stopped or halted. */
	boolean stopped() {
		return this.stopped;
	}

	/**
	 * Stop nudging and the monitor, send litestream SIGTERM so it uploads what is left, and kill it after
	 * a timeout. Idempotent.
	 * @param timeout how long litestream may take to exit ({@code s3lite.litestream.shutdown-timeout})
	 */
	void stop(Duration timeout) {
		if (!stopOnce()) {
			return;
		}
		beforeStopping();
		long started = System.nanoTime();
		boolean graceful = this.supervisor.stop(timeout);
		long elapsed = (System.nanoTime() - started) / 1_000_000;
		if (graceful) {
			logger.info("Replication stopped: litestream exited in {} ms", elapsed);
		}
		else {
			logger.warn("Replication stopped: litestream did not exit within {} ms (s3lite.litestream.shutdown-timeout) "
					+ "and was killed; the replica keeps everything up to its last completed upload", elapsed);
		}
		deleteWorkDirectory();
	}

	/**
	 * Stop as {@link #stop(Duration)} does, and return whether litestream's own final upload provably
	 * holds every commit: v0.3.13 exits with code 0 only when its last local sync and the replica's sync to
	 * the end of the shadow WAL succeeded ({@code DB.Close}), which it makes only for a database it has
	 * synced before, so the process must be the one that did.
	 * @param timeout how long litestream may take to exit
	 * @param syncedBy the pid of the process that has synced the database
	 * @return whether it exited with code 0, by itself, and was that process
	 */
	boolean stopAfterFinalUpload(Duration timeout, long syncedBy) {
		if (!stopOnce()) {
			return false;
		}
		beforeStopping();
		long started = System.nanoTime();
		OptionalInt exit = this.supervisor.stopReportingExit(timeout, syncedBy);
		long elapsed = (System.nanoTime() - started) / 1_000_000;
		deleteWorkDirectory();
		if (exit.isPresent() && exit.getAsInt() == 0) {
			logger.info("Replication stopped: litestream made its final upload and exited in {} ms", elapsed);
			return true;
		}
		logger.warn("Replication stopped without a confirmed final upload after {} ms: litestream (pid {}) {}", elapsed,
				syncedBy, exit.isPresent() ? "exited with code " + exit.getAsInt()
						: "was not the process that synced, or was killed after " + timeout.toMillis() + " ms");
		return false;
	}

	private void beforeStopping() {
		this.nudge.close();
		this.monitor.shutdownNow();
		// litestream still holds the database, so closing this connection does not checkpoint the WAL
		ContinuedGeneration.closeQuietly(this.walKeeper);
	}

	/**
	 * Stop nudging and the monitor and kill litestream at once (SIGKILL): no final upload, which could
	 * land in a replica another instance owns by then. A kill leaves the replica consistent; what was
	 * not uploaded stays in the local database. Idempotent.
	 */
	void halt() {
		if (!stopOnce()) {
			return;
		}
		this.supervisor.halt();
		this.nudge.close();
		this.monitor.shutdownNow();
		ContinuedGeneration.closeQuietly(this.walKeeper);
		logger.warn("Replication halted without a final upload: litestream killed; WAL frames not in the replica "
				+ "stay in the local database {}", this.database);
		deleteWorkDirectory();
	}

	private void deleteWorkDirectory() {
		try (var files = Files.list(this.workDirectory)) {
			for (Path file : (Iterable<Path>) files::iterator) {
				Files.deleteIfExists(file);
			}
			Files.deleteIfExists(this.workDirectory);
		}
		catch (IOException ex) {
			logger.debug("Could not delete {}", this.workDirectory, ex);
		}
	}

	/** Mark replication stopped; return whether this call did (stop and halt run once between them). */
	private boolean stopOnce() {
		synchronized (this.stopLock) {
			if (this.stopped) {
				return false;
			}
			this.stopped = true;
			return true;
		}
	}

}
