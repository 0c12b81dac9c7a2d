package io.github.s3lite.internal.nativeengine;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import io.github.s3lite.replication.ReplicationStatus;
import io.github.s3lite.internal.replication.WalPosition;

/**
 * What the native replication last observed, updated by its threads and read by
 * {@link NativeReplication#status()} without any I/O. Counters never decrease.
 */
final class ReplicationProgress {

	private final AtomicLong syncs = new AtomicLong();

	private final AtomicLong errors = new AtomicLong();

	private final AtomicLong snapshots = new AtomicLong();

	private final AtomicLong generations = new AtomicLong();

	private final AtomicLong checkpoints = new AtomicLong();

	private volatile WalPosition replicated;

	private volatile long pendingBytes;

	private volatile boolean failing;

	private volatile Instant lastSyncTime;

	private volatile String lastError;

	private volatile Instant lastErrorTime;

	private volatile Instant lastSnapshotTime;

	synchronized void observed(WalPosition replicatedPosition, long pending) {
		this.replicated = replicatedPosition;
		this.pendingBytes = pending;
		if (pending == 0 && replicatedPosition != null && !this.failing) {
			this.lastSyncTime = Instant.now();
		}
	}

	/**
	 * Record a successful shipment.
	 * @param position the replicated position
	 * @param pending what committed since
	 * @param startedAt when the shipment started: the replica holds every commit made before, so the
	 * replica is no further behind than that, even while a saturating writer never lets it be in sync
	 */
	synchronized void shipped(WalPosition position, long pending, Instant startedAt) {
		this.syncs.incrementAndGet();
		this.failing = false;
		if (this.lastSyncTime == null || startedAt.isAfter(this.lastSyncTime)) {
			this.lastSyncTime = startedAt;
		}
		observed(position, pending);
	}

	synchronized void failed(Throwable failure) {
		this.errors.incrementAndGet();
		this.failing = true;
		this.lastError = failure.getClass().getSimpleName() + ": " + failure.getMessage();
		this.lastErrorTime = Instant.now();
	}

	void snapshotWritten() {
		this.snapshots.incrementAndGet();
		this.lastSnapshotTime = Instant.now();
	}

	void generationStarted() {
		this.generations.incrementAndGet();
		snapshotWritten();
	}

	void checkpointed() {
		this.checkpoints.incrementAndGet();
	}

	boolean failing() {
		return this.failing;
	}

	/**
	 * Build the status.
	 * @param engine the engine name
	 * @param replica the replica, without credentials
	 * @param replicating whether replication runs
	 * @param format the replica format's name
	 * @return the status
	 */
	synchronized ReplicationStatus status(String engine, String replica, boolean replicating, String format) {
		WalPosition shipped = this.replicated;
		long pending = this.pendingBytes;
		WalPosition local = (shipped != null && pending > 0)
				? new WalPosition(shipped.generation(), shipped.index(), shipped.offset() + pending) : shipped;
		Map<String, Object> details = new LinkedHashMap<>();
		details.put("format", format);
		if (shipped != null) {
			details.put("generation", shipped.generation());
		}
		if (this.lastSnapshotTime != null) {
			details.put("lastSnapshot", this.lastSnapshotTime.toString());
		}
		boolean inSync = replicating && shipped != null && pending == 0 && !this.failing;
		return new ReplicationStatus(true, engine, replica, replicating, local, shipped, pending, inSync,
				this.lastSyncTime, this.syncs.get(), this.errors.get(), this.lastError, this.lastErrorTime, details,
				Map.of("snapshots", this.snapshots.get(), "generations", this.generations.get(), "checkpoints",
						this.checkpoints.get()));
	}

}
