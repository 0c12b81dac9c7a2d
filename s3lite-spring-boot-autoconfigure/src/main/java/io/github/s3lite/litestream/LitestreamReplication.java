package io.github.s3lite.litestream;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.s3lite.config.LitestreamOptions;
import io.github.s3lite.config.ReplicaUrl;
import io.github.s3lite.config.S3Connection;
import io.github.s3lite.replication.Replication;
import io.github.s3lite.replication.ReplicationException;
import io.github.s3lite.replication.ReplicationStatus;
import io.github.s3lite.replication.ReplicationTimeoutException;
import io.github.s3lite.replication.SyncListener;
import io.github.s3lite.replication.WalPosition;

/**
 * {@link Replication} by a supervised litestream v0.3.x child process.
 *
 * <p>
 * {@link #sync(Duration)} follows the metrics recipe: wait for litestream's local sync count to grow
 * by two (a full local sync started after the call), read the local position from the meta
 * directory, then wait until the replica position reaches it in the same generation; fail on timeout
 * or on a replica error. {@link #status()} returns what a background monitor last observed, so it
 * does no network I/O.
 */
public final class LitestreamReplication implements Replication {

	private static final Logger logger = LoggerFactory.getLogger(LitestreamReplication.class);

	private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(15);

	private static final long POLL_MILLIS = 20;

	private static final Duration NUDGE_INTERVAL = Duration.ofSeconds(2);

	private final Path database;

	private final ReplicaUrl replica;

	private final S3Connection s3;

	private final LitestreamOptions options;

	private final LitestreamBinary binary;

	private final Path workDirectory;

	private final LocalWalPositions localPositions;

	private final LitestreamSupervisor supervisor;

	private final ReplicaNudge nudge;

	private volatile WalPosition lastReplicaProgress;

	private volatile Instant lastReplicaProgressTime = Instant.now();

	private final ScheduledExecutorService monitor;

	private final AtomicLong replicaErrors = new AtomicLong();

	private final List<SyncListener> syncListeners = new CopyOnWriteArrayList<>();

	private final Object stopLock = new Object();

	private volatile int metricsPort;

	private volatile LitestreamMetrics lastMetrics;

	private volatile WalPosition localPosition;

	private volatile WalPosition replicaPosition;

	private volatile long lagBytes;

	private volatile boolean inSync;

	private volatile Instant lastSyncTime;

	private volatile String lastError;

	private volatile Instant lastErrorTime;

	private volatile String pendingGeneration;

	private volatile boolean stopped;

	private LitestreamReplication(Path database, ReplicaUrl replica, S3Connection s3, LitestreamOptions options,
			LitestreamBinary binary) {
		this.database = database;
		this.replica = replica;
		this.s3 = s3;
		this.options = options;
		this.binary = binary;
		this.workDirectory = LitestreamConfigFile.createWorkDirectory();
		this.localPositions = new LocalWalPositions(database);
		this.supervisor = new LitestreamSupervisor(this::startProcess, options.restartMaxBackoff());
		this.nudge = new ReplicaNudge(database, NUDGE_INTERVAL.plus(options.syncInterval()), Duration.ofSeconds(5));
		this.monitor = Executors.newSingleThreadScheduledExecutor((runnable) -> {
			Thread thread = new Thread(runnable, "s3lite-replication-monitor");
			thread.setDaemon(true);
			return thread;
		});
	}

	/**
	 * Start replicating a database with a supervised litestream process; returns once litestream's
	 * metrics endpoint answers.
	 * @param database the database file
	 * @param replica the replica
	 * @param s3 the S3 connection
	 * @param options the litestream options
	 * @param binary the litestream binary
	 * @return the running replication
	 */
	public static LitestreamReplication start(Path database, ReplicaUrl replica, S3Connection s3,
			LitestreamOptions options, LitestreamBinary binary) {
		LitestreamReplication replication = new LitestreamReplication(database, replica, s3, options, binary);
		try {
			replication.supervisor.start();
			replication.awaitMetricsEndpoint();
		}
		catch (RuntimeException ex) {
			replication.stop();
			throw ex;
		}
		long period = Math.min(1000, options.monitorInterval().toMillis());
		replication.monitor.scheduleWithFixedDelay(replication::observe, 0, period, TimeUnit.MILLISECONDS);
		logger.info("Replication started: {} -> {} (litestream pid {})", database, replica,
				replication.supervisor.current().pid());
		return replication;
	}

	private LitestreamProcess startProcess() {
		int port = freeLoopbackPort();
		Path config = LitestreamConfigFile.writeReplicate(this.workDirectory.resolve("litestream.yml"), this.database,
				this.replica, this.s3, this.options, port);
		this.pendingGeneration = null;
		this.lastMetrics = null;
		LitestreamProcess process = LitestreamProcess.start(this.binary.path(), config, this.s3, this::onEvent);
		this.metricsPort = port;
		return process;
	}

	private void awaitMetricsEndpoint() {
		long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
		while (System.nanoTime() < deadline) {
			LitestreamProcess process = this.supervisor.current();
			if (!process.isAlive()) {
				throw new LitestreamException("litestream exited right after it started"
						+ ((this.lastError != null) ? ": " + this.lastError : "")
						+ ". Check the lines logged by io.github.s3lite.litestream.output above.");
			}
			if (scrape() != null) {
				return;
			}
			sleep(50);
		}
		throw new LitestreamException("litestream did not open its metrics endpoint on 127.0.0.1:" + this.metricsPort
				+ " within " + STARTUP_TIMEOUT.toSeconds() + "s.");
	}

	private void onEvent(LitestreamLogEvent event) {
		if (event.isError()) {
			this.replicaErrors.incrementAndGet();
			this.lastError = event.describe();
			this.lastErrorTime = Instant.now();
		}
		switch (event.message()) {
			case "sync: new generation" -> this.pendingGeneration = event.fields().get("generation");
			case "snapshot written", "wal segment written" -> {
				String position = event.fields().getOrDefault("position", "");
				int slash = position.indexOf('/');
				String generation = (slash > 0) ? position.substring(0, slash) : null;
				if (generation != null && generation.equals(this.pendingGeneration)) {
					this.pendingGeneration = null;
				}
			}
			default -> {
			}
		}
	}

	private void observe() {
		try {
			LitestreamMetrics metrics = scrape();
			LocalWalPositions.Snapshot snapshot = this.localPositions.snapshot();
			WalPosition local = (snapshot != null) ? snapshot.position() : null;
			WalPosition replicaPosition = replicaPosition(metrics, local);
			this.localPosition = local;
			this.replicaPosition = replicaPosition;
			this.lagBytes = (snapshot != null) ? snapshot.lagBytes(replicaPosition) : 0;
			boolean caughtUp = local != null && replicaPosition != null && replicaPosition.reached(local);
			this.inSync = caughtUp && this.supervisor.isRunning();
			if (this.inSync) {
				this.lastSyncTime = Instant.now();
			}
			nudgeIfStuck(local, replicaPosition);
		}
		catch (RuntimeException ex) {
			logger.debug("Could not observe replication", ex);
		}
	}

	/**
	 * Nudge litestream when the replica is behind, has not moved for a while, and an error was seen
	 * since it last moved: litestream v0.3.x retries a failed upload only after the next database change.
	 */
	private void nudgeIfStuck(WalPosition local, WalPosition replicaPosition) {
		Instant now = Instant.now();
		if (replicaPosition != null && !replicaPosition.equals(this.lastReplicaProgress)) {
			this.lastReplicaProgress = replicaPosition;
			this.lastReplicaProgressTime = now;
			return;
		}
		boolean behind = local != null && (replicaPosition == null || !replicaPosition.reached(local));
		Instant lastError = this.lastErrorTime;
		boolean stalled = Duration.between(this.lastReplicaProgressTime, now)
			.compareTo(NUDGE_INTERVAL.plus(this.options.syncInterval())) > 0;
		if (behind && stalled && lastError != null && lastError.isAfter(this.lastReplicaProgressTime)
				&& this.supervisor.isRunning()) {
			this.nudge.nudge();
		}
	}

	private LitestreamMetrics scrape() {
		try {
			LitestreamMetrics metrics = LitestreamMetrics.scrape(this.metricsPort);
			this.lastMetrics = metrics;
			return metrics;
		}
		catch (IOException ex) {
			return null;
		}
	}

	private WalPosition replicaPosition(LitestreamMetrics metrics, WalPosition local) {
		if (metrics == null || metrics.replicaIndex() < 0 || local == null) {
			return null;
		}
		if (local.generation().equals(this.pendingGeneration)) {
			return null;
		}
		return new WalPosition(local.generation(), metrics.replicaIndex(), metrics.replicaOffset());
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
			awaitReplica(timeout);
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

	private void awaitReplica(Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		long errorsBefore = errorCount();
		LitestreamProcess process = awaitRunning(deadline, timeout);
		LitestreamMetrics before = scrape();
		long baseline = (before != null) ? before.syncCount() : 0;
		while (true) {
			LitestreamMetrics now = scrape();
			if (this.supervisor.current() != process || !process.isAlive()) {
				process = awaitRunning(deadline, timeout);
				LitestreamMetrics restarted = scrape();
				baseline = (restarted != null) ? restarted.syncCount() : 0;
			}
			else if (now != null && now.syncCount() >= baseline + 2) {
				break;
			}
			checkProgress(deadline, errorsBefore, timeout, "litestream to capture the latest commits");
			sleep(POLL_MILLIS);
		}
		WalPosition target = this.localPositions.current();
		if (target == null) {
			return;
		}
		while (true) {
			WalPosition local = this.localPositions.current();
			if (local != null && !local.generation().equals(target.generation())) {
				target = local;
			}
			WalPosition replicaPosition = replicaPosition(scrape(), local);
			if (replicaPosition != null && replicaPosition.reached(target)) {
				this.replicaPosition = replicaPosition;
				this.localPosition = local;
				this.lastSyncTime = Instant.now();
				return;
			}
			awaitRunning(deadline, timeout);
			nudgeIfStuck(local, replicaPosition);
			checkProgress(deadline, errorsBefore, timeout, "the replica to reach " + target + " (it is at "
					+ ((replicaPosition != null) ? replicaPosition : "an unknown position") + ")");
			sleep(POLL_MILLIS);
		}
	}

	/**
	 * Return the running litestream process, waiting (until the deadline) while the supervisor
	 * restarts one that exited.
	 */
	private LitestreamProcess awaitRunning(long deadline, Duration timeout) {
		while (true) {
			if (this.stopped) {
				throw new ReplicationException("Replication to " + this.replica + " has been stopped");
			}
			LitestreamProcess process = this.supervisor.current();
			if (process != null && process.isAlive() && scrape() != null) {
				return process;
			}
			if (System.nanoTime() > deadline) {
				String cause = (this.supervisor.lastExit() != null) ? this.supervisor.lastExit() : "it is not running";
				throw new ReplicationTimeoutException("Timed out after " + timeout.toMillis() + " ms: litestream for "
						+ this.replica + " is not running (" + cause + "; it is being restarted)");
			}
			sleep(POLL_MILLIS);
		}
	}

	private void checkProgress(long deadline, long errorsBefore, Duration timeout, String waitingFor) {
		if (errorCount() > errorsBefore) {
			throw new ReplicationException("Replication to " + this.replica + " failed: " + this.lastError);
		}
		if (System.nanoTime() > deadline) {
			throw new ReplicationTimeoutException("Timed out after " + timeout.toMillis() + " ms waiting for " + waitingFor
					+ ((this.lastError != null) ? "; last error: " + this.lastError : ""));
		}
	}

	private long errorCount() {
		LitestreamMetrics metrics = this.lastMetrics;
		return this.replicaErrors.get() + ((metrics != null) ? metrics.syncErrorCount() : 0);
	}

	@Override
	public ReplicationStatus status() {
		LitestreamProcess process = this.supervisor.current();
		boolean running = this.supervisor.isRunning();
		LitestreamMetrics metrics = this.lastMetrics;
		return new ReplicationStatus(true, this.replica.toString(), running, running ? process.pid() : null,
				this.binary.version(), running ? process.startedAt() : null, this.supervisor.restartCount(),
				this.localPosition, this.replicaPosition, this.lagBytes, this.inSync && running, this.lastSyncTime,
				(metrics != null) ? metrics.syncCount() : 0, errorCount(), this.lastError, this.lastErrorTime);
	}

	/**
	 * Stop the monitor, send litestream SIGTERM so it uploads what is left, and kill it after
	 * {@code s3lite.litestream.shutdown-timeout}. Idempotent.
	 */
	@Override
	public void stop() {
		synchronized (this.stopLock) {
			if (this.stopped) {
				return;
			}
			this.stopped = true;
		}
		this.monitor.shutdownNow();
		long started = System.nanoTime();
		boolean graceful = this.supervisor.stop(this.options.shutdownTimeout());
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

	private static int freeLoopbackPort() {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			socket.setReuseAddress(true);
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new LitestreamException("Could not find a free port on 127.0.0.1 for litestream's metrics", ex);
		}
	}

	private static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new ReplicationException("Interrupted while waiting for replication", ex);
		}
	}

	@Override
	public String toString() {
		return "LitestreamReplication[" + this.database + " -> " + this.replica + "]";
	}

}
