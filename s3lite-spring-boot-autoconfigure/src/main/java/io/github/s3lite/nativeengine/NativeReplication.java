package io.github.s3lite.nativeengine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.s3lite.config.NativeOptions;
import io.github.s3lite.config.ReplicaUrl;
import io.github.s3lite.nativeengine.format.ReplicaFormat;
import io.github.s3lite.replication.DurableCommitStats;
import io.github.s3lite.replication.DurableReplication;
import io.github.s3lite.replication.LocalDatabaseMissingException;
import io.github.s3lite.replication.NotReplicatedException;
import io.github.s3lite.replication.OutageLog;
import io.github.s3lite.replication.Replication;
import io.github.s3lite.replication.ReplicationException;
import io.github.s3lite.replication.ReplicationStatus;
import io.github.s3lite.replication.ReplicationTimeoutException;
import io.github.s3lite.replication.SyncListener;
import io.github.s3lite.replication.WalPosition;
import io.github.s3lite.storage.ReplicaStore;

/**
 * Replication by the native engine: a background thread ({@link ReplicationLoop}) ships committed WAL
 * frames, checkpoints and snapshots through one {@link ReplicaWriter}; {@link #sync(Duration)} ships
 * what is pending at once on its own thread; {@link #stop()} ships the tail, checkpoints, closes the
 * connections and records the {@link StoppedPosition} so that the next start continues the generation.
 * Durable commits wait for {@link GroupCommitShipper} uploads ({@link DurableReplication}).
 */
public final class NativeReplication implements Replication, DurableReplication {

	private static final Logger logger = LoggerFactory.getLogger(NativeReplication.class);

	private final Path database;

	private final ReplicaUrl replica;

	private final ReplicaStore store;

	private final ReplicaFormat format;

	private final NativeOptions options;

	private final ReplicaWriter writer;

	private final ReplicationProgress progress = new ReplicationProgress();

	private final GenerationKeeper generations;

	private final ReplicationLoop loop;

	private final ExecutorService syncs;

	private final GroupCommitShipper groupCommit;

	private final List<SyncListener> syncListeners = new CopyOnWriteArrayList<>();

	private final Object stopLock = new Object();

	private volatile boolean stopped;

	/** A sync that timed out, possibly still stuck in an upload; stop() does not wait for it. */
	private volatile Future<?> timedOutSync;

	/** How long stop() waits for the threads once the store is closed (uploads aborted). */
	static final Duration CLOSE_MARGIN = Duration.ofSeconds(2);

	private NativeReplication(Path database, ReplicaUrl replica, ReplicaStore store, ReplicaFormat format,
			NativeOptions options, ReplicaWriter writer, Optional<StoppedPosition> stoppedAt) {
		this.database = database;
		this.replica = replica;
		this.store = store;
		this.format = format;
		this.options = options;
		this.writer = writer;
		this.generations = new GenerationKeeper(writer, store, format, this.progress, stoppedAt.orElse(null));
		this.loop = new ReplicationLoop(this.generations, writer, this.progress, options,
				new RetentionEnforcer(writer, store, format, options.retention(), Clock.systemUTC()),
				new OutageLog(ReplicationLoop.logger, "Replication of " + database + " to " + replica));
		this.groupCommit = new GroupCommitShipper(this.generations, writer, this.progress, replica.toString());
		this.syncs = Executors.newSingleThreadExecutor((runnable) -> {
			Thread thread = new Thread(runnable, "s3lite-native-sync");
			thread.setDaemon(true);
			return thread;
		});
	}

	/**
	 * Start replicating a database.
	 * @param database the database, in WAL mode
	 * @param replica the replica URL
	 * @param store the replica's store, closed by {@link #stop()}
	 * @param format the replica format
	 * @param options the settings
	 * @return the running replication
	 */
	public static NativeReplication start(Path database, ReplicaUrl replica, ReplicaStore store, ReplicaFormat format,
			NativeOptions options) {
		ReplicaWriter writer;
		try {
			writer = ReplicaWriter.open(database, store, format, options.maxWalSize());
		}
		catch (IOException ex) {
			closeQuietly(store);
			throw new ReplicationException("Could not start replicating " + database + ": " + ex.getMessage(), ex);
		}
		NativeReplication replication = new NativeReplication(database, replica, store, format, options, writer,
				StoppedPosition.consume(database));
		replication.loop.start();
		logger.info("Replication started: native engine, {} -> {} ({}, sync every {} ms)", database, replica,
				format.name(), options.syncInterval().toMillis());
		return replication;
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
			if (this.stopped) {
				throw new ReplicationException("Replication of " + this.database + " is stopped");
			}
			if (!Files.exists(this.database)) {
				throw new LocalDatabaseMissingException("The database " + this.database + " no longer exists; "
						+ "nothing left to replicate to " + this.replica);
			}
			shipWithin(timeout);
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

	private void shipWithin(Duration timeout) {
		Future<WalPosition> shipped = this.syncs.submit(() -> {
			Instant startedAt = Instant.now();
			WalPosition position = this.generations.shipNow();
			this.progress.shipped(position, this.writer.pendingBytes(), startedAt);
			return position;
		});
		try {
			shipped.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (TimeoutException ex) {
			this.timedOutSync = shipped;
			ReplicationTimeoutException timedOut = new ReplicationTimeoutException("The replica " + this.replica
					+ " did not store the pending WAL frames within " + timeout.toMillis() + " ms");
			this.progress.failed(timedOut);
			throw timedOut;
		}
		catch (ExecutionException ex) {
			this.progress.failed(ex.getCause());
			throw new ReplicationException("Could not sync " + this.database + " to " + this.replica + ": "
					+ ex.getCause().getMessage(), ex.getCause());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new ReplicationException("Interrupted while syncing " + this.database, ex);
		}
	}

	@Override
	public void awaitReplicated(Duration timeout) throws NotReplicatedException {
		this.groupCommit.awaitReplicated(timeout);
	}

	@Override
	public boolean acceptingWrites() {
		return this.groupCommit.acceptingWrites();
	}

	@Override
	public NotReplicatedException refuseWrite() {
		return this.groupCommit.refuseWrite();
	}

	@Override
	public DurableCommitStats durableCommitStats() {
		return this.groupCommit.durableCommitStats();
	}

	/**
	 * Return the status; the local side (the replicated position and what is pending) is read now from
	 * the WAL, so that the lag stays current while an upload hangs.
	 */
	@Override
	public ReplicationStatus status() {
		if (!this.stopped) {
			try {
				this.progress.observed(this.writer.position(), this.writer.pendingBytes());
			}
			catch (IOException | RuntimeException ex) {
				logger.debug("Could not read the WAL of {}; the status shows the last observation", this.database, ex);
			}
		}
		return this.progress.status(NativeEngine.NAME, this.replica.toString(), !this.stopped, this.format.name());
	}

	/**
	 * Stop the loop, ship the tail and checkpoint (bounded by the shutdown timeout; not waited for when
	 * an earlier sync already timed out), then close the store, which aborts uploads in flight, wait
	 * {@link #CLOSE_MARGIN} at most for the engine's threads to end, close the connections and record
	 * where the generation stands. Idempotent.
	 */
	@Override
	public void stop() {
		if (!stopOnce()) {
			return;
		}
		long started = System.nanoTime();
		Duration timeout = this.options.shutdownTimeout();
		this.groupCommit.stop();
		Future<?> stuck = this.timedOutSync;
		boolean waitForUpload = stuck == null || stuck.isDone();
		this.loop.signalStop();
		Future<Boolean> finished = this.syncs.submit(this::finish);
		boolean graceful = false;
		try {
			graceful = finished.get(waitForUpload ? timeout.toMillis() : 0, TimeUnit.MILLISECONDS);
		}
		catch (TimeoutException ex) {
			logger.warn("The final upload to {} did not finish {}; the replica keeps everything up to its last "
					+ "completed upload", this.replica,
					waitForUpload ? "within " + timeout.toMillis() + " ms" : "(an earlier sync is still stuck)");
		}
		catch (ExecutionException ex) {
			logger.warn("The final upload to {} failed: {}", this.replica, ex.getCause().toString());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		finally {
			closeQuietly(this.store);
			release();
		}
		logger.info("Replication stopped: native engine, {} at {} ({} in {} ms)", this.database,
				this.writer.position(), graceful ? "generation kept" : "next start begins a new generation",
				(System.nanoTime() - started) / 1_000_000);
	}

	/**
	 * Stop at once, uploading nothing more: the loop and the group commits stop, the store is closed
	 * (uploads in flight are aborted) and the connections closed, with no final upload, checkpoint or
	 * recorded position, so the next start begins a new generation that holds everything committed.
	 * Idempotent.
	 */
	@Override
	public void halt() {
		if (!stopOnce()) {
			return;
		}
		this.groupCommit.stop();
		this.loop.signalStop();
		closeQuietly(this.store);
		long pending = pendingQuietly();
		release();
		logger.warn("Replication halted without a final upload: native engine, {} at {} ({} WAL bytes not in the "
				+ "replica stay in the local database)", this.database, this.writer.position(), pending);
	}

	private long pendingQuietly() {
		try {
			return this.writer.pendingBytes();
		}
		catch (IOException | RuntimeException ex) {
			return -1;
		}
	}

	/** With the store closed, let the threads end and close the connections if the finish could not. */
	private void release() {
		this.syncs.shutdown();
		boolean ended = false;
		try {
			this.loop.join(CLOSE_MARGIN);
			ended = this.syncs.awaitTermination(CLOSE_MARGIN.toMillis(), TimeUnit.MILLISECONDS) && !this.loop.isAlive();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		if (!ended) {
			this.syncs.shutdownNow();
			logger.warn("The replication threads of {} did not end within {} ms of closing the store",
					this.database, CLOSE_MARGIN.toMillis());
			return;
		}
		try {
			this.writer.close();
		}
		catch (IOException ex) {
			logger.debug("Could not close the connections to {}", this.database, ex);
		}
	}

	/** Ship the tail, checkpoint, close and record the position; runs on the sync thread. */
	private boolean finish() throws IOException {
		boolean exact = false;
		WalPosition position = null;
		try {
			this.generations.shipNow();
			this.writer.checkpoint();
			exact = this.writer.checkpointedEverything();
			position = this.writer.position();
		}
		finally {
			this.writer.close();
		}
		if (exact && position != null) {
			long lastIndex = (position.offset() == 0) ? position.index() - 1 : position.index();
			StoppedPosition.record(this.database, position.generation(), lastIndex);
		}
		return exact;
	}

	private static void closeQuietly(ReplicaStore store) {
		try {
			store.close();
		}
		catch (IOException | RuntimeException ex) {
			logger.debug("Could not close {}", store.location(), ex);
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

	@Override
	public String toString() {
		return "NativeReplication[" + this.database + " -> " + this.replica + "]";
	}

}
