package io.github.s3lite.internal.lease;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.s3lite.internal.lifecycle.DatabaseLifecycle;
import io.github.s3lite.internal.lifecycle.LifecycleState;
import io.github.s3lite.internal.restore.ContinuationRule;

/**
 * How a writer fenced by time resumes once its keeper re-took the lease: FENCED → PROMOTING → WRITING,
 * or back to FENCED (replication halted again) when it cannot.
 */
final class FenceRecovery {

	private static final Logger logger = LoggerFactory.getLogger(RoleTransitions.class);

	private final ReplicaLease lease;

	private final DatabaseLifecycle lifecycle;

	FenceRecovery(ReplicaLease lease, DatabaseLifecycle lifecycle) {
		this.lease = lease;
		this.lifecycle = lifecycle;
	}

	/**
	 * The lease was re-taken after a fence (nobody wrote it meanwhile): restart replication, which ships
	 * what was committed before the fence, and accept writes again. A failure leaves writes fenced; the
	 * next poll tries again while the lease is held.
	 */
	void resume(RoleChange change, LeaseKeeper current) {
		long started = System.nanoTime();
		this.lifecycle.moveTo(LifecycleState.PROMOTING, "the lease was re-taken after the fence");
		boolean resumed = false;
		try {
			// re-taken with the ETag this instance last wrote: nobody became the writer since, so the local file
			// is the replica's tail (no look at the mark, whose read could fail right now)
			resumed = change.startWriting(true, ContinuationRule.ALWAYS) && current.resumeWriting()
					&& this.lifecycle.moveFrom(LifecycleState.PROMOTING, LifecycleState.WRITING, "resumed after the fence");
		}
		finally {
			if (!resumed) {
				change.abortWriting();
				this.lifecycle.moveFrom(LifecycleState.PROMOTING, LifecycleState.FENCED, "could not resume writing");
			}
			change.resume();
		}
		if (resumed) {
			logger.info("Writing again to {} after the fence, {} ms after the lease was re-taken (replicating what was "
					+ "committed before it); writes are accepted", this.lease.location(),
					(System.nanoTime() - started) / 1_000_000);
		}
		else {
			logger.warn("Could not resume writing to {} after the fence; writes stay refused and it is tried again",
					this.lease.location());
		}
	}

}
