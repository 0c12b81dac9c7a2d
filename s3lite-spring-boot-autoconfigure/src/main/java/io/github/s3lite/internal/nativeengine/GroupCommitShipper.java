package io.github.s3lite.internal.nativeengine;

import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.s3lite.replication.DurableCommitStats;
import io.github.s3lite.internal.replication.DurableReplication;
import io.github.s3lite.replication.NotReplicatedException;
import io.github.s3lite.internal.replication.WalPosition;

/**
 * Group commit for the native engine. One thread runs uploads one at a time; each upload ships every
 * frame committed when it starts. A commit that waits needs an upload that starts after it: it asks
 * for the upload after the one in flight (or the next one when none runs) and returns once an upload
 * at least that recent succeeded. Commits that arrive during an upload therefore share the next one,
 * which starts as soon as the current one ends; no timer is involved. After a failure the thread
 * retries with a short doubling backoff even when nobody waits, so that commits are accepted again as
 * soon as the replica is reachable. Its thread starts with the first waiting commit.
 */
final class GroupCommitShipper implements DurableReplication {

	private static final Logger logger = LoggerFactory.getLogger(GroupCommitShipper.class);

	private static final long FIRST_BACKOFF_MILLIS = 100;

	private static final long MAX_BACKOFF_MILLIS = 2000;

	private final GenerationKeeper generations;

	private final ReplicaWriter writer;

	private final ReplicationProgress progress;

	private final String replica;

	private final Object lock = new Object();

	private final AtomicLong commitsAwaited = new AtomicLong();

	private final AtomicLong uploads = new AtomicLong();

	private final AtomicLong failedUploads = new AtomicLong();

	private final AtomicLong notReplicated = new AtomicLong();

	private final AtomicLong refusedWrites = new AtomicLong();

	/** Number of the newest upload a waiting commit needs. */
	private long requested;

	/** Number of the last upload started. */
	private long started;

	/** Number of the last upload that succeeded. */
	private long succeeded;

	private Thread thread;

	private boolean stopped;

	private volatile boolean failing;

	private volatile String lastError;

	GroupCommitShipper(GenerationKeeper generations, ReplicaWriter writer, ReplicationProgress progress,
			String replica) {
		this.generations = generations;
		this.writer = writer;
		this.progress = progress;
		this.replica = replica;
	}

	@Override
	public void awaitReplicated(Duration timeout) throws NotReplicatedException {
		this.commitsAwaited.incrementAndGet();
		long deadline = System.nanoTime() + timeout.toNanos();
		synchronized (this.lock) {
			long needed = this.started + 1;
			this.requested = Math.max(this.requested, needed);
			startThread();
			this.lock.notifyAll();
			while (this.succeeded < needed) {
				long left = deadline - System.nanoTime();
				if (this.stopped || left <= 0) {
					this.failing = true;
					this.notReplicated.incrementAndGet();
					throw new NotReplicatedException("The transaction is committed locally but not yet in the replica "
							+ this.replica + ((this.stopped) ? " (replication stopped)" : " (no upload succeeded within "
									+ timeout.toMillis() + " ms" + lastErrorSuffix() + ")")
							+ "; it will be shipped when the replica is reachable, unless this instance stops first",
							true, null);
				}
				try {
					this.lock.wait(Math.max(1, left / 1_000_000), 0);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					this.notReplicated.incrementAndGet();
					throw new NotReplicatedException("Interrupted while waiting for the replica " + this.replica
							+ "; the transaction is committed locally but may not be in the replica yet", true, ex);
				}
			}
		}
	}

	@Override
	public boolean acceptingWrites() {
		return !this.failing;
	}

	@Override
	public NotReplicatedException refuseWrite() {
		this.refusedWrites.incrementAndGet();
		return new NotReplicatedException("Write refused: the replica " + this.replica
				+ " is unreachable, so the commit could not be made durable" + lastErrorSuffix()
				+ "; nothing was written. Writes are accepted again once an upload succeeds", false, null);
	}

	@Override
	public DurableCommitStats durableCommitStats() {
		return new DurableCommitStats(this.commitsAwaited.get(), this.uploads.get(), this.failedUploads.get(),
				this.notReplicated.get(), this.refusedWrites.get(), this.failing, this.lastError);
	}

	/** Stop the thread; waiting commits fail as not replicated. */
	void stop() {
		Thread running;
		synchronized (this.lock) {
			this.stopped = true;
			running = this.thread;
			this.lock.notifyAll();
		}
		if (running != null) {
			running.interrupt();
		}
	}

	private void startThread() {
		if (this.thread == null && !this.stopped) {
			this.thread = new Thread(this::run, "s3lite-native-group-commit");
			this.thread.setDaemon(true);
			this.thread.start();
			logger.info("Durable commits: group-commit uploads to {} started", this.replica);
		}
	}

	private void run() {
		long backoff = FIRST_BACKOFF_MILLIS;
		while (true) {
			long number;
			synchronized (this.lock) {
				while (!this.stopped && this.requested <= this.started && !this.failing) {
					waitQuietly(0);
				}
				if (this.stopped) {
					return;
				}
				number = ++this.started;
			}
			try {
				Instant startedAt = Instant.now();
				WalPosition position = this.generations.shipNow();
				this.progress.shipped(position, this.writer.pendingBytes(), startedAt);
				this.uploads.incrementAndGet();
				backoff = FIRST_BACKOFF_MILLIS;
				synchronized (this.lock) {
					this.succeeded = number;
					if (this.failing) {
						logger.info("Durable commits: the replica {} is reachable again; writes are accepted",
								this.replica);
					}
					this.failing = false;
					this.lock.notifyAll();
				}
			}
			catch (Exception ex) {
				this.failedUploads.incrementAndGet();
				this.progress.failed(ex);
				this.lastError = ex.getClass().getSimpleName() + ": " + ex.getMessage();
				synchronized (this.lock) {
					if (!this.failing) {
						logger.warn("Durable commits: upload to {} failed; writes fail fast until an upload succeeds: {}",
								this.replica, ex.toString());
					}
					this.failing = true;
					this.lock.notifyAll();
					if (this.stopped) {
						return;
					}
					waitQuietly(backoff);
				}
				backoff = Math.min(MAX_BACKOFF_MILLIS, backoff * 2);
			}
		}
	}

	/** Wait on the lock (held by the caller); an interrupt only ends the wait, {@link #stop()} ends the loop. */
	private void waitQuietly(long millis) {
		try {
			this.lock.wait(millis);
		}
		catch (InterruptedException ex) {
			// stop() sets stopped before interrupting
		}
	}

	private String lastErrorSuffix() {
		String error = this.lastError;
		return (error != null) ? "; last error: " + error : "";
	}

}
