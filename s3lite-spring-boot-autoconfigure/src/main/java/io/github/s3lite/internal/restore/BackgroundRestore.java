package io.github.s3lite.internal.restore;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.s3lite.internal.datasource.DatabaseLock;

/**
 * A startup restore running on a thread of its own while the application context goes on creating the
 * beans that do not need the database; the first one that does {@linkplain #await() awaits} it. It
 * holds the database lock, taken before the restore started, and hands it over with the result. With
 * the single-writer lease, the same thread first takes the {@linkplain #takeLease() lease} (the
 * writer's or a follower's role), then restores. {@linkplain #close() Closing} it before the result was
 * awaited (a context that failed or closed first) interrupts the restore, waits for its thread to end
 * (the restore removes its staging files on the way out), closes a write gate nobody took (releasing the
 * lease) and releases the lock.
 */
public final class BackgroundRestore implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(BackgroundRestore.class);

	private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

	private final Path database;

	private final String replica;

	private final DatabaseLock lock;

	private final FutureTask<RestoreResult> task;

	private final CompletableFuture<AutoCloseable> writeGate = new CompletableFuture<>();

	private final boolean hasWriteGate;

	private final AtomicBoolean writeGateTaken = new AtomicBoolean();

	private final Runnable abortWriteGate;

	private final Thread thread;

	private volatile boolean stopped;

	private BackgroundRestore(Path database, String replica, DatabaseLock lock, Supplier<AutoCloseable> gate,
			Runnable abortWriteGate, Function<AutoCloseable, RestoreResult> restore) {
		this.abortWriteGate = abortWriteGate;
		this.database = database;
		this.replica = replica;
		this.lock = lock;
		this.hasWriteGate = gate != null;
		this.task = new FutureTask<>(() -> {
			AutoCloseable taken = null;
			if (gate != null) {
				try {
					taken = gate.get();
					this.writeGate.complete(taken);
				}
				catch (RuntimeException | Error ex) {
					this.writeGate.completeExceptionally(ex);
					throw ex;
				}
			}
			if (this.stopped) {
				// closed while the lease was taken: a restore now would write files nobody removes
				throw new CancellationException("The restore of " + database + " was stopped before it began");
			}
			return restore.apply(taken);
		});
		this.thread = new Thread(this.task, "s3lite-restore");
		this.thread.setDaemon(true);
	}

	/**
	 * Start a restore on its own thread.
	 * @param database the database being restored
	 * @param replica the replica it is restored from, as configured
	 * @param lock the database's lock, already held; released by {@link #close()}
	 * @param restore the restore to run, typically {@link ReplicaRestorer#restore()}
	 * @return the running restore
	 */
	public static BackgroundRestore start(Path database, String replica, DatabaseLock lock,
			Supplier<RestoreResult> restore) {
		BackgroundRestore background = new BackgroundRestore(database, replica, lock, null, () -> {
		}, (gate) -> restore.get());
		background.thread.start();
		return background;
	}

	/**
	 * Start taking the write gate (the single-writer lease) and then a restore, on one thread of its own.
	 * @param database the database being restored
	 * @param replica the replica it is restored from, as configured
	 * @param lock the database's lock, already held; released by {@link #close()}
	 * @param writeGate takes the write gate; a failure fails {@link #takeLease()} and skips the restore
	 * @param abortWriteGate makes {@code writeGate} end at once (closes its store), when this is closed first
	 * @param restore the restore to run once the gate is taken, given the gate
	 * @return the running restore
	 */
	public static BackgroundRestore start(Path database, String replica, DatabaseLock lock,
			Supplier<AutoCloseable> writeGate, Runnable abortWriteGate, Function<AutoCloseable, RestoreResult> restore) {
		BackgroundRestore background = new BackgroundRestore(database, replica, lock, writeGate, abortWriteGate,
				restore);
		background.thread.start();
		return background;
	}

	/**
	 * Return whether this restore takes the write gate before it restores.
	 * @return whether {@link #takeLease()} applies
	 */
	public boolean takesLease() {
		return this.hasWriteGate;
	}

	/**
	 * Wait for the write gate and take it over: from then on, whoever took it closes it.
	 * @return the write gate
	 * @throws RuntimeException exactly as taking the gate threw it
	 */
	public AutoCloseable takeLease() {
		try {
			AutoCloseable gate = this.writeGate.get();
			this.writeGateTaken.set(true);
			return gate;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new RestoreException("Interrupted while waiting for the lease on " + this.replica, ex);
		}
		catch (ExecutionException ex) {
			throw rethrow(ex.getCause());
		}
	}

	/**
	 * Return whether this restore is for the given database and replica.
	 * @param database the database path
	 * @param replica the replica, as configured
	 * @return whether both match
	 */
	public boolean restores(Path database, String replica) {
		return this.database.equals(database) && this.replica.equals(replica);
	}

	/**
	 * Return the database lock, held since before the restore started. Whoever takes it may release it;
	 * {@link #close()} releases it too (releasing is idempotent).
	 * @return the lock
	 */
	public DatabaseLock lock() {
		return this.lock;
	}

	/**
	 * Return whether the restore has finished, successfully or not.
	 * @return whether it finished
	 */
	public boolean isDone() {
		return this.task.isDone();
	}

	/**
	 * Wait for the restore and return what it did.
	 * @return the result
	 * @throws RestoreException (or another runtime exception) exactly as the restore threw it
	 */
	public RestoreResult await() {
		if (!this.task.isDone()) {
			logger.debug("Waiting for the background restore of {}", this.database);
		}
		try {
			return this.task.get();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new RestoreException("Interrupted while waiting for the restore of " + this.database, ex);
		}
		catch (ExecutionException ex) {
			throw rethrow(ex.getCause());
		}
	}

	private RuntimeException rethrow(Throwable cause) {
		if (cause instanceof RuntimeException runtime) {
			return runtime;
		}
		if (cause instanceof Error error) {
			throw error;
		}
		return new RestoreException("Could not restore " + this.database + ": " + cause, cause);
	}

	/**
	 * Stop the restore if it still runs, wait for its thread to end and release the lock.
	 */
	@Override
	public void close() {
		this.stopped = true;
		if (!this.task.isDone()) {
			logger.info("Stopping the unfinished restore of {}: the application context closed first", this.database);
			this.task.cancel(true);
			if (!this.writeGate.isDone()) {
				this.abortWriteGate.run();
			}
		}
		try {
			this.thread.join(STOP_TIMEOUT.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		if (this.thread.isAlive()) {
			logger.warn("The restore of {} did not stop within {} s", this.database, STOP_TIMEOUT.toSeconds());
		}
		this.writeGate.completeExceptionally(new RestoreException("The restore of " + this.database + " was stopped", (Throwable) null));
		AutoCloseable gate = this.writeGate.isCompletedExceptionally() ? null : this.writeGate.getNow(null);
		if (gate != null && !this.writeGateTaken.getAndSet(true)) {
			try {
				gate.close();
			}
			catch (Exception ex) {
				logger.warn("Could not close the write gate of {}", this.database, ex);
			}
		}
		this.lock.close();
	}

	@Override
	public String toString() {
		return "BackgroundRestore[" + this.database + " from " + this.replica + "]";
	}

}
