package io.github.s3lite.internal.litestream;

import java.time.Duration;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import io.github.s3lite.replication.ReplicationException;
import io.github.s3lite.replication.ReplicationTimeoutException;
import io.github.s3lite.internal.replication.WalPosition;

/**
 * The {@code sync()} algorithm over litestream's observable state. It returns only when the replica
 * holds every commit made before the call:
 * <ol>
 * <li>at once when litestream has captured the whole WAL file and uploaded all of it;</li>
 * <li>otherwise, after two local syncs that started after the call, counted from a baseline read from
 * the process that runs (a baseline that could not be read is read again, never assumed; a restart
 * starts a new baseline), then when the replica position reaches the local position of that moment in
 * the same generation (or of a newer generation).</li>
 * </ol>
 * It fails on timeout, when replication stopped, and on any error counted after the call (counts never
 * decrease, across restarts too).
 */
final class LitestreamSyncWait {

	private static final long POLL_MILLIS = 20;

	private final Supplier<LitestreamObservation> observer;

	private final BooleanSupplier stopped;

	private final ReplicaNudge nudge;

	private final String replica;

	LitestreamSyncWait(Supplier<LitestreamObservation> observer, BooleanSupplier stopped, ReplicaNudge nudge,
			String replica) {
		this.observer = observer;
		this.stopped = stopped;
		this.nudge = nudge;
		this.replica = replica;
	}

	/**
	 * Wait until the replica holds every commit made before the call.
	 * @param timeout the longest wait
	 * @throws ReplicationException on a replica error or when replication stopped
	 * @throws ReplicationTimeoutException on timeout
	 */
	void await(Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		LitestreamObservation first = observe();
		if (first.fullyReplicated()) {
			return;
		}
		long errorsBefore = first.errorCount();
		LitestreamObservation now = first;
		long process = -1;
		long baseline = 0;
		while (true) {
			if (now.running() && now.syncCount() != null) {
				if (now.processId() != process) {
					process = now.processId();
					baseline = now.syncCount();
				}
				else if (now.syncCount() >= baseline + 2 && now.localPosition() != null) {
					break;
				}
			}
			check(now, deadline, errorsBefore, timeout, "litestream to capture the latest commits");
			sleep();
			now = observe();
		}
		WalPosition target = now.localPosition();
		while (true) {
			WalPosition local = now.localPosition();
			if (local != null && !local.generation().equals(target.generation())) {
				target = local;
			}
			if (now.replicaPosition() != null && now.replicaPosition().reached(target)) {
				return;
			}
			this.nudge.consider(now, deadline);
			check(now, deadline, errorsBefore, timeout, "the replica to reach " + target + " (it is at "
					+ ((now.replicaPosition() != null) ? now.replicaPosition() : "an unknown position") + ")");
			sleep();
			now = observe();
		}
	}

	private LitestreamObservation observe() {
		if (this.stopped.getAsBoolean()) {
			throw new ReplicationException("Replication to " + this.replica + " has been stopped");
		}
		return this.observer.get();
	}

	private void check(LitestreamObservation now, long deadline, long errorsBefore, Duration timeout,
			String waitingFor) {
		if (now.errorCount() > errorsBefore) {
			throw new ReplicationException("Replication to " + this.replica + " failed: " + now.lastError());
		}
		if (System.nanoTime() > deadline) {
			String state = now.running() ? "" : "; litestream is not running (it is being restarted)";
			throw new ReplicationTimeoutException("Timed out after " + timeout.toMillis() + " ms waiting for "
					+ waitingFor + state + ((now.lastError() != null) ? "; last error: " + now.lastError() : ""));
		}
	}

	private static void sleep() {
		try {
			Thread.sleep(POLL_MILLIS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new ReplicationException("Interrupted while waiting for replication", ex);
		}
	}

}
