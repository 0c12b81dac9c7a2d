package io.github.s3lite.internal.nativeengine;

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

import io.github.s3lite.internal.config.NativeOptions;
import io.github.s3lite.internal.config.ReplicaUrl;
import io.github.s3lite.internal.nativeengine.format.ReplicaFormat;
import io.github.s3lite.replication.DurableCommitStats;
import io.github.s3lite.internal.replication.CommittedPosition;
import io.github.s3lite.internal.replication.KnownReplicaEnd;
import io.github.s3lite.internal.replication.DurableReplication;
import io.github.s3lite.replication.LocalDatabaseMissingException;
import io.github.s3lite.replication.NotReplicatedException;
import io.github.s3lite.internal.replication.OutageLog;
import io.github.s3lite.replication.Replication;
import io.github.s3lite.replication.ReplicaPosition;
import io.github.s3lite.replication.ReplicationException;
import io.github.s3lite.replication.ReplicationStatus;
import io.github.s3lite.replication.ReplicationTimeoutException;
import io.github.s3lite.replication.SyncListener;
import io.github.s3lite.internal.replication.WalPosition;
import io.github.s3lite.internal.storage.ReplicaStore;

/**
 * Replication by the native engine: a background thread ({@link ReplicationLoop}) ships committed WAL
 * frames, checkpoints and snapshots through one {@link ReplicaWriter}; {@link #sync(Duration)} ships
 * what is pending at once on its own thread; {@link #stop()} ships the tail, checkpoints, closes the
 * connections and records the {@link StoppedPosition} so that the next start continues the generation
 * ({@link NativeShutdown}).
 * Durable commits wait for {@link GroupCommitShipper} uploads ({@link DurableReplication}).
 */
public final class NativeReplication implements Replication, DurableReplication, CommittedPosition, KnownReplicaEnd {

	private static final Logger logger = LoggerFactory.getLogger(NativeReplication.class);

	private final Path database;

	private final ReplicaUrl replica;

	private final ReplicaFormat format;

	private final NativeOptions options;

	private final ReplicaWriter writer;

	private final ReplicationProgress progress = new ReplicationProgress();

	private final GenerationKeeper generations;

	private final ReplicationLoop loop;

	private final ExecutorService syncs;

	private final GroupCommitShipper groupCommit;

	private final List<SyncListener> syncListeners = new CopyOnWriteArrayList<>();

	private final NativeShutdown shutdown;

	/** A sync that timed out, possibly still stuck in an upload; stop() does not wait for it. */
	private volatile Future<?> timedOutSync;

	private NativeReplication(Path database, ReplicaUrl replica, ReplicaStore store, ReplicaFormat format,
			NativeOptions options, ReplicaWriter writer, Optional<StoppedPosition> stoppedAt) {
		this.database = database;
		this.replica = replica;
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
		this.shutdown = new NativeShutdown(database, replica, store, writer, this.generations, this.loop,
				this.groupCommit, this.syncs);
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
			NativeShutdown.closeQuietly(store);
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
			if (this.shutdown.stopped()) {
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
		if (!this.shutdown.stopped()) {
			try {
				this.progress.observed(this.writer.position(), this.writer.pendingBytes());
			}
			catch (IOException | RuntimeException ex) {
				logger.debug("Could not read the WAL of {}; the status shows the last observation", this.database, ex);
			}
		}
		return this.progress.status(NativeEngine.NAME, this.replica.toString(), !this.shutdown.stopped(),
				this.format.name());
	}

	/**
	 * Return where the replica will hold every transaction committed now, read from the local WAL.
	 */
	@Override
	public ReplicaPosition committedPosition() {
		if (this.shutdown.stopped()) {
			return null;
		}
		try {
			return this.writer.committedPosition();
		}
		catch (IOException | RuntimeException ex) {
			logger.debug("Could not read the WAL of {}; no committed position", this.database, ex);
			return null;
		}
	}

	/**
	 * Stop the loop, ship the tail and checkpoint (bounded by the shutdown timeout; not waited for when
	 * an earlier sync already timed out), then close the store, which aborts uploads in flight, wait
	 * {@link NativeShutdown#CLOSE_MARGIN} at most for the engine's threads to end, close the connections
	 * and record where the generation stands. Idempotent.
	 */
	@Override
	public void stop() {
		this.shutdown.stop(this.options.shutdownTimeout(), () -> this.timedOutSync);
	}

	/**
	 * Stop at once, uploading nothing more: the loop and the group commits stop, the store is closed
	 * (uploads in flight are aborted) and the connections closed, with no final upload, checkpoint or
	 * recorded position, so the next start begins a new generation that holds everything committed.
	 * Idempotent.
	 */
	@Override
	public void halt() {
		this.shutdown.halt();
	}

	@Override
	public String toString() {
		return "NativeReplication[" + this.database + " -> " + this.replica + "]";
	}

	@Override
	public Optional<String> knownReplicaEnd() {
		return this.writer.lastUploadedKey();
	}

}
