package io.github.s3lite.internal.nativeengine;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.s3lite.internal.config.ReplicaUrl;
import io.github.s3lite.internal.replication.WalPosition;
import io.github.s3lite.internal.storage.ReplicaStore;

/**
 * How one {@link NativeReplication} ends, once: {@link #stop(Duration, Supplier)} ships the tail,
 * checkpoints and records the {@link StoppedPosition}; {@link #halt()} uploads nothing more. Both then
 * close the store (aborting uploads in flight), let the engine's threads end and close the connections.
 */
final class NativeShutdown {

	private static final Logger logger = LoggerFactory.getLogger(NativeReplication.class);

	/** How long stop() waits for the threads once the store is closed (uploads aborted). */
	static final Duration CLOSE_MARGIN = Duration.ofSeconds(2);

	private final Path database;

	private final ReplicaUrl replica;

	private final ReplicaStore store;

	private final ReplicaWriter writer;

	private final GenerationKeeper generations;

	private final ReplicationLoop loop;

	private final GroupCommitShipper groupCommit;

	private final ExecutorService syncs;

	private final Object stopLock = new Object();

	private volatile boolean stopped;

	NativeShutdown(Path database, ReplicaUrl replica, ReplicaStore store, ReplicaWriter writer,
			GenerationKeeper generations, ReplicationLoop loop, GroupCommitShipper groupCommit, ExecutorService syncs) {
		this.database = database;
		this.replica = replica;
		this.store = store;
		this.writer = writer;
		this.generations = generations;
		this.loop = loop;
		this.groupCommit = groupCommit;
		this.syncs = syncs;
	}

	/** Whether replication was stopped or halted. */
	boolean stopped() {
		return this.stopped;
	}

	/**
	 * Stop the loop, ship the tail and checkpoint (bounded by the shutdown timeout; not waited for when
	 * an earlier sync already timed out), then close the store, which aborts uploads in flight, wait
	 * {@link #CLOSE_MARGIN} at most for the engine's threads to end, close the connections and record
	 * where the generation stands. Idempotent.
	 * @param timeout the shutdown timeout
	 * @param timedOutSync a sync that timed out and may still be stuck in an upload, or {@code null}
	 */
	void stop(Duration timeout, Supplier<Future<?>> timedOutSync) {
		if (!stopOnce()) {
			return;
		}
		long started = System.nanoTime();
		this.groupCommit.stop();
		Future<?> stuck = timedOutSync.get();
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
	void halt() {
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

	static void closeQuietly(ReplicaStore store) {
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

}
