package io.github.s3lite.internal.nativeengine;

import java.time.Duration;
import java.time.Instant;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.s3lite.internal.config.NativeOptions;
import io.github.s3lite.internal.replication.OutageLog;
import io.github.s3lite.internal.replication.WalPosition;

/**
 * The native engine's background thread. Every poll it reads the local WAL (no network) and, when
 * committed frames are pending, ships them at most once per sync interval; it checkpoints once the WAL
 * holds an eighth of its bound (a checkpoint ships first, so the WAL stays bounded under a saturating
 * writer; its passes take a while under a busy writer, so it starts early enough for the WAL to stay
 * below the half at which writers are paused), snapshots every snapshot interval, and after a failure
 * retries with a doubling backoff while the application keeps writing locally; it applies the retention
 * every hour at most.
 */
final class ReplicationLoop {

	static final Logger logger = LoggerFactory.getLogger(ReplicationLoop.class);

	private static final long MAX_BACKOFF_NANOS = Duration.ofSeconds(15).toNanos();

	private final GenerationKeeper generations;

	private final ReplicaWriter writer;

	private final ReplicationProgress progress;

	private final NativeOptions options;

	private final RetentionEnforcer retention;

	private final OutageLog outage;

	private final long pollMillis;

	private final long checkpointBytes;

	private final Thread thread;

	private volatile boolean running = true;

	private long nextShipAt;

	private long retryAt;

	private long lastSnapshotAt;

	private long lastRetentionAt;

	private int failures;

	ReplicationLoop(GenerationKeeper generations, ReplicaWriter writer, ReplicationProgress progress,
			NativeOptions options, RetentionEnforcer retention, OutageLog outage) {
		this.generations = generations;
		this.writer = writer;
		this.progress = progress;
		this.options = options;
		this.retention = retention;
		this.outage = outage;
		this.pollMillis = Math.max(10, Math.min(100, options.syncInterval().toMillis()));
		this.checkpointBytes = Math.max(64 * 1024, options.maxWalSize() / 8);
		this.thread = new Thread(this::run, "s3lite-native-replication");
		this.thread.setDaemon(true);
	}

	void start() {
		this.lastSnapshotAt = System.nanoTime();
		this.lastRetentionAt = this.lastSnapshotAt;
		this.thread.start();
	}

	/** Ask the thread to stop and interrupt its sleep; an upload in flight ends when the store closes. */
	void signalStop() {
		this.running = false;
		this.thread.interrupt();
	}

	/**
	 * Wait for the thread to end.
	 * @param timeout the bound
	 * @throws InterruptedException if interrupted while waiting
	 */
	void join(Duration timeout) throws InterruptedException {
		this.thread.join(Math.max(1, timeout.toMillis()));
	}

	boolean isAlive() {
		return this.thread.isAlive();
	}

	private void run() {
		while (this.running) {
			try {
				Thread.sleep(this.pollMillis);
			}
			catch (InterruptedException ex) {
				if (!this.running) {
					return;
				}
			}
			try {
				step(System.nanoTime());
			}
			catch (Exception ex) {
				if (!this.running) {
					return;
				}
				this.failures++;
				this.progress.failed(ex);
				long backoff = Math.min(MAX_BACKOFF_NANOS,
						this.options.syncInterval().toNanos() << Math.min(10, this.failures - 1));
				this.retryAt = System.nanoTime() + backoff;
				// one WARN when the first upload fails, one INFO when one succeeds again (writes continue locally)
				this.outage.failed(ex);
				logger.debug("Replication failed ({} in a row), retrying in {} ms", this.failures,
						Duration.ofNanos(backoff).toMillis(), ex);
			}
		}
	}

	private void step(long now) throws Exception {
		// the local side is observed on every poll, also while backing off, so that the lag shows
		this.progress.observed(this.writer.position(), this.writer.pendingBytes());
		if (now - this.retryAt < 0) {
			return;
		}
		Instant startedAt = Instant.now();
		this.generations.withGeneration(() -> {
			long pending = this.writer.pendingBytes();
			WalPosition position = this.writer.position();
			boolean due = now - this.nextShipAt >= 0 || this.progress.failing();
			boolean checkpoint = this.writer.walLength() >= this.checkpointBytes
					&& (pending > 0 || !this.writer.checkpointedEverything());
			if (checkpoint) {
				// ships too: what is pending is copied under the write lock and uploaded after it
				position = this.writer.checkpoint();
				this.nextShipAt = now + this.options.syncInterval().toNanos();
				this.progress.shipped(position, this.writer.pendingBytes(), startedAt);
				this.progress.checkpointed();
			}
			else if (pending > 0 && due) {
				position = this.writer.ship();
				this.nextShipAt = now + this.options.syncInterval().toNanos();
				this.progress.shipped(position, this.writer.pendingBytes(), startedAt);
			}
			Duration snapshotInterval = this.options.snapshotInterval();
			if (!snapshotInterval.isZero() && now - this.lastSnapshotAt >= snapshotInterval.toNanos()) {
				this.writer.snapshot();
				this.lastSnapshotAt = now;
				this.progress.snapshotWritten();
			}
			Duration retentionCheck = this.retention.checkInterval();
			if (!retentionCheck.isZero() && now - this.lastRetentionAt >= retentionCheck.toNanos()) {
				this.retention.enforce();
				this.lastRetentionAt = now;
			}
			if (this.progress.failing()) {
				this.progress.shipped(this.writer.position(), this.writer.pendingBytes(), startedAt);
			}
			else {
				this.progress.observed(this.writer.position(), this.writer.pendingBytes());
			}
		});
		this.failures = 0;
		this.outage.succeeded();
	}

}
