package io.github.s3lite.internal.litestream;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.s3lite.internal.config.LitestreamOptions;
import io.github.s3lite.internal.config.ReplicaUrl;
import io.github.s3lite.internal.config.S3Connection;
import io.github.s3lite.internal.replication.CommittedPosition;
import io.github.s3lite.replication.LocalDatabaseMissingException;
import io.github.s3lite.replication.ReplicaPosition;
import io.github.s3lite.replication.Replication;
import io.github.s3lite.replication.ReplicationException;
import io.github.s3lite.replication.ReplicationStatus;
import io.github.s3lite.replication.SyncListener;
import io.github.s3lite.internal.replication.FinalUpload;

/**
 * {@link Replication} by a supervised litestream v0.3.x child process: the process is started by a
 * {@link LitestreamLauncher} and kept running by a {@link LitestreamSupervisor}; a background monitor
 * keeps one {@link LitestreamObservation} current for {@link #status()} (no network I/O beyond the
 * loopback metrics endpoint, none in the caller's thread); {@link #sync(Duration)} is a
 * {@link LitestreamSyncWait}; a {@link ReplicaNudge} makes litestream retry after a failed upload;
 * {@link LitestreamShutdown} ends it, at a hand-over with litestream's own final upload ({@link FinalUpload}).
 */
public final class LitestreamReplication implements Replication, CommittedPosition, FinalUpload {

	/** The engine's name. */
	public static final String ENGINE = "litestream";

	private static final Logger logger = LoggerFactory.getLogger(LitestreamReplication.class);

	private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(15);

	private static final Duration STALL = Duration.ofSeconds(2);

	private final Path database;

	private final ReplicaUrl replica;

	private final LitestreamOptions options;

	private final LitestreamBinary binary;

	private final LitestreamSupervisor supervisor;

	private final LitestreamObserver observer;

	private final ReplicaNudge nudge;

	private final LitestreamSyncWait syncWait;

	private final ScheduledExecutorService monitor;

	private final List<SyncListener> syncListeners = new CopyOnWriteArrayList<>();

	private final LitestreamShutdown shutdown;

	private final CommittedWalEnd committedEnd;

	private LitestreamReplication(Path database, ReplicaUrl replica, S3Connection s3, LitestreamOptions options,
			LitestreamBinary binary, Connection walKeeper) {
		this.database = database;
		this.replica = replica;
		this.options = options;
		this.binary = binary;
		Path workDirectory = LitestreamConfigFile.createWorkDirectory();
		LitestreamEvents events = new LitestreamEvents();
		LitestreamLauncher launcher = new LitestreamLauncher(database, replica, s3, options, binary,
				workDirectory.resolve("litestream.yml"), events);
		this.supervisor = new LitestreamSupervisor(launcher::launch, options.restartMaxBackoff());
		this.observer = new LitestreamObserver(database, this.supervisor, launcher, events);
		this.nudge = new ReplicaNudge(database, STALL.plus(options.syncInterval()));
		this.committedEnd = new CommittedWalEnd(database);
		this.monitor = Executors.newSingleThreadScheduledExecutor((runnable) -> {
			Thread thread = new Thread(runnable, "s3lite-replication-monitor");
			thread.setDaemon(true);
			return thread;
		});
		this.shutdown = new LitestreamShutdown(database, this.supervisor, this.nudge, this.monitor, walKeeper,
				workDirectory);
		this.syncWait = new LitestreamSyncWait(this.observer::observe, this.shutdown::stopped, this.nudge,
				replica.toString());
	}

	/**
	 * Start replicating a database with a supervised litestream process; returns once litestream's
	 * metrics endpoint answers for this database.
	 * @param database the database file
	 * @param replica the replica
	 * @param s3 the S3 connection
	 * @param options the litestream options
	 * @param binary the litestream binary
	 * @param walKeeper a connection that keeps the database's WAL until litestream holds the database
	 * (closed on stop, while litestream still runs), or {@code null}
	 * @return the running replication
	 */
	public static LitestreamReplication start(Path database, ReplicaUrl replica, S3Connection s3,
			LitestreamOptions options, LitestreamBinary binary, Connection walKeeper) {
		LitestreamReplication replication = new LitestreamReplication(database, replica, s3, options, binary,
				walKeeper);
		try {
			replication.supervisor.start();
			replication.awaitMetrics();
		}
		catch (RuntimeException ex) {
			replication.stop();
			throw ex;
		}
		long period = Math.min(1000, options.monitorInterval().toMillis());
		replication.monitor.scheduleWithFixedDelay(replication::monitor, 0, period, TimeUnit.MILLISECONDS);
		logger.info("Replication started: {} -> {} (litestream pid {})", database, replica,
				replication.supervisor.current().pid());
		return replication;
	}

	private void awaitMetrics() {
		long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
		while (System.nanoTime() < deadline) {
			if (!this.supervisor.current().isAlive()) {
				String error = this.observer.observe().lastError();
				throw new LitestreamException("litestream exited right after it started"
						+ ((error != null) ? ": " + error : "")
						+ ". Check the lines logged by io.github.s3lite.litestream.output above.");
			}
			if (this.observer.observe().syncCount() != null) {
				return;
			}
			sleep(50);
		}
		throw new LitestreamException("litestream did not serve metrics for " + this.database
				+ " on 127.0.0.1 within " + STARTUP_TIMEOUT.toSeconds() + "s.");
	}

	private void monitor() {
		try {
			LitestreamObservation observation = this.observer.observe();
			this.nudge.consider(observation, System.nanoTime() + Duration.ofSeconds(1).toNanos());
		}
		catch (RuntimeException ex) {
			logger.debug("Could not observe replication", ex);
		}
	}

	@Override
	public void addSyncListener(SyncListener listener) {
		this.syncListeners.add(listener);
	}

	@Override
	public void sync(Duration timeout) {
		long started = System.nanoTime();
		ReplicationException failure = null;
		try {
			if (!Files.isDirectory(this.database.getParent()) || !Files.exists(this.database)) {
				throw new LocalDatabaseMissingException("The database " + this.database + " no longer exists; "
						+ "nothing left to replicate to " + this.replica);
			}
			this.syncWait.await(timeout);
		}
		catch (ReplicationException ex) {
			failure = ex;
			throw ex;
		}
		finally {
			Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
			for (SyncListener listener : this.syncListeners) {
				listener.onSync(elapsed, failure);
			}
		}
	}

	@Override
	public ReplicationStatus status() {
		LitestreamObservation observation = this.observer.latest();
		SupervisedProcess process = this.supervisor.current();
		boolean running = this.supervisor.isRunning() && !this.shutdown.stopped();
		Map<String, Object> details = new LinkedHashMap<>();
		if (running) {
			details.put("pid", process.pid());
			details.put("startedAt", process.startedAt().toString());
		}
		details.put("version", this.binary.version());
		if (observation.localPosition() != null) {
			details.put("generation", observation.localPosition().generation());
		}
		if (this.supervisor.lastExit() != null) {
			details.put("lastExit", this.supervisor.lastExit());
		}
		return new ReplicationStatus(true, ENGINE, this.replica.toString(), running, observation.localPosition(),
				observation.replicaPosition(), observation.lagBytes(), running && observation.replicaCaughtUp(),
				this.observer.lastSyncTime(), this.observer.syncCount(), observation.errorCount(),
				observation.lastError(), observation.lastErrorTime(), details,
				Map.of("restarts", (long) this.supervisor.restartCount()));
	}

	/**
	 * Return where the replica will hold every transaction committed now: the committed end of the
	 * database's WAL, placed in litestream's shadow WAL ({@link CommittedWalEnd}), which litestream may
	 * not have captured yet.
	 */
	@Override
	public ReplicaPosition committedPosition() {
		if (this.shutdown.stopped()) {
			return null;
		}
		try {
			return this.committedEnd.position();
		}
		catch (IOException | RuntimeException ex) {
			logger.debug("Could not read the WAL of {}; no committed position", this.database, ex);
			return null;
		}
	}

	/**
	 * Stop nudging and the monitor, send litestream SIGTERM so it uploads what is left, and kill it after
	 * {@code s3lite.litestream.shutdown-timeout}. Idempotent.
	 */
	@Override
	public void stop() {
		this.shutdown.stop(this.options.shutdownTimeout());
	}

	@Override
	public boolean provesFinalUpload() {
		LitestreamObservation now = this.observer.observe();
		return now.running() && now.syncCount() != null && now.syncCount() > 0;
	}

	/**
	 * Stop with litestream's own final upload (SIGTERM), confirmed by its exit code, instead of waiting
	 * for its next sync; the process must be the one that has synced the database.
	 */
	@Override
	public boolean stopAfterFinalUpload(Duration timeout) {
		LitestreamObservation now = this.observer.observe();
		boolean synced = now.running() && now.syncCount() != null && now.syncCount() > 0;
		return this.shutdown.stopAfterFinalUpload(timeout, synced ? now.processId() : -1);
	}

	/**
	 * Stop nudging and the monitor and kill litestream at once (SIGKILL): no final upload, which could
	 * land in a replica another instance owns by then. A kill leaves the replica consistent; what was
	 * not uploaded stays in the local database. Idempotent.
	 */
	@Override
	public void halt() {
		this.shutdown.halt();
	}

	private static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new LitestreamException("Interrupted while starting litestream", ex);
		}
	}

	@Override
	public String toString() {
		return "LitestreamReplication[" + this.database + " -> " + this.replica + "]";
	}

}
