package io.github.s3lite.internal.lease;

import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.s3lite.internal.lifecycle.DatabaseLifecycle;
import io.github.s3lite.internal.lifecycle.LifecycleState;

/**
 * The changes of role of a {@link LeaseRole}, each a move of its {@link DatabaseLifecycle}, carried out
 * by a {@link RoleChange} on the role's thread with writes refused throughout: promotion (FOLLOWING →
 * PROMOTING → WRITING, or back to FOLLOWING when it fails), hand-over on a follower's request that a
 * renewal brought (WRITING → HANDING_OVER → FOLLOWING, or back to WRITING when the flush fails, until the
 * follower asks again), resuming after a fence once the lease was
 * re-taken (FENCED → PROMOTING → WRITING) and following once it was taken over (FENCED → FOLLOWING).
 */
final class RoleTransitions {

	private static final Logger logger = LoggerFactory.getLogger(RoleTransitions.class);

	private final ReplicaLease lease;

	private final Clock clock;

	private final DatabaseLifecycle lifecycle;

	private final WriterMark mark;

	private final HandoverAsking asking;

	private final Runnable onLeaseChange;

	private final RoleRecord record = new RoleRecord();

	private final FenceRecovery recovery;

	private volatile LeaseKeeper keeper;

	private volatile LeaseRecord holder;

	private volatile RoleChange change;

	private volatile boolean closed;

	RoleTransitions(ReplicaLease lease, Clock clock, DatabaseLifecycle lifecycle, WriterMark mark,
			HandoverAsking asking, Runnable onLeaseChange) {
		this.lease = lease;
		this.clock = clock;
		this.lifecycle = lifecycle;
		this.mark = mark;
		this.asking = asking;
		this.onLeaseChange = onLeaseChange;
		this.recovery = new FenceRecovery(lease, lifecycle);
	}

	HandoverAsking asking() {
		return this.asking;
	}

	void carryOutWith(RoleChange change) {
		this.change = change;
	}

	/** Hold a lease taken at startup; the lifecycle stays STARTING until {@link #startedWriting()}. */
	void hold(HeldLease held) {
		this.keeper = keep(held);
	}

	/** Follow from startup. */
	void follow(LeaseRecord holder, String why) {
		this.holder = holder;
		if (holder != null) {
			this.lifecycle.holder(holder.toString());
		}
		this.lifecycle.moveTo(LifecycleState.FOLLOWING, why);
	}

	boolean holdsLease() {
		return this.keeper != null && this.lifecycle.state() == LifecycleState.STARTING;
	}

	void startedWriting() {
		LeaseKeeper current = this.keeper;
		this.lifecycle.moveFrom(LifecycleState.STARTING, LifecycleState.WRITING, "caught up and replicating");
		if (current == null || !current.mayWriteReplica()) {
			// lost or not renewed while starting: the keeper's fence found the lifecycle still starting
			this.lifecycle.fence("its lease was not held when start-up ended", null);
		}
	}

	boolean mayWriteReplica() {
		LeaseKeeper current = this.keeper;
		return current != null && current.mayWriteReplica();
	}

	private LeaseKeeper keep(HeldLease held) {
		LeaseKeeper started = LeaseKeeper.start(this.lease, this.clock, held, this.lifecycle);
		started.whenChanged(this.onLeaseChange);
		return started;
	}

	/** One poll: the next transition the lease and the state call for. */
	void next() throws Exception {
		if (this.change == null || this.closed) {
			return;
		}
		LeaseKeeper current = this.keeper;
		LifecycleState state = this.lifecycle.state();
		if (state == LifecycleState.FOLLOWING) {
			LeaseAttempt attempt = LeaseAcquisition.attempt(this.lease, this.clock);
			if (attempt instanceof LeaseAttempt.HeldElsewhere elsewhere) {
				this.holder = elsewhere.holder();
				this.lifecycle.holder(this.holder.toString());
				this.asking.askIfDue(elsewhere.holder());
			}
			else {
				promote(((LeaseAttempt.Acquired) attempt).lease());
			}
		}
		else if (state == LifecycleState.FENCED && current != null && current.state() == LeaseHold.LOST) {
			demote(current);
		}
		else if (state == LifecycleState.FENCED && current != null
				&& current.state() == LeaseHold.RECLAIMED) {
			this.recovery.resume(this.change, current);
		}
		else if (this.lifecycle.isWriter()) {
			// no request: a follower's hand-over request comes with the keeper's renewals
			Optional<HandoverRequest> request = current.takeHandoverRequest();
			if (request.isPresent() && request.get().isFreshAt(this.clock.instant(), this.lease.timing())) {
				handOver(request.get(), current);
			}
		}
	}

	private void promote(HeldLease held) {
		long started = System.nanoTime();
		LeaseRecord previous = this.holder;
		this.keeper = keep(held);
		this.lifecycle.moveTo(LifecycleState.PROMOTING, "lease taken (generation " + held.record().generation() + ")");
		logger.info("Promoting to writer of {}: lease taken (generation {}); writes stay fenced while this instance "
				+ "catches up with the replica", this.lease.location(), held.record().generation());
		Path database = this.change.database();
		boolean localIsTail = this.mark.isLocalTail(database);
		// claimed before this writer's first replica write (a superseded mark, a snapshot): should the promotion
		// fail after one, the last writer's file is no longer taken for the replica's tail; the claim carries the
		// last writer's proven end forward, so that a failed promotion does not erase it; the local file is
		// marked only once it holds the replica's state, so that a failed promotion leaves no stale "tail"
		Optional<WriterMark.Claim> claim = this.mark.tryClaim(database, localIsTail);
		boolean caughtUp = claim.isPresent()
				&& this.change.startWriting(localIsTail, this.mark.continuationRule(claim.get().previous()))
				&& this.mark.trySettle(database, claim.get().mark());
		long millis = (System.nanoTime() - started) / 1_000_000;
		if (caughtUp && this.keeper.mayWriteReplica() && !this.closed && this.lifecycle
			.moveFrom(LifecycleState.PROMOTING, LifecycleState.WRITING, "promoted in " + millis + " ms")) {
			this.change.resume();
			if (previous != null && this.asking.asked()) {
				this.record.handover("from '" + previous.owner() + "' at " + this.clock.instant() + " (promoted in "
						+ millis + " ms)");
			}
			this.asking.stop();
			logger.info("Promoted to writer of {} in {} ms (caught up, replicating); writes are accepted",
					this.lease.location(), millis);
			return;
		}
		logger.warn("Promotion to writer of {} failed after {} ms; releasing the lease and following again",
				this.lease.location(), millis);
		LeaseKeeper failed = this.keeper;
		// replication may have started before the failure: stopped first, uploading nothing more
		this.change.abortWriting();
		this.record.retire(failed);
		this.keeper = null;
		if (!this.closed) {
			this.lifecycle.moveTo(LifecycleState.FOLLOWING, "the promotion failed after " + millis + " ms");
		}
		failed.close();
		this.change.resume();
	}

	/**
	 * The lease was taken over: this instance follows the new holder. What it committed and did not
	 * upload before the fence is not part of the replica's history any more.
	 */
	private void demote(LeaseKeeper lost) {
		LeaseRecord known = lost.knownHolder();
		LeaseRecord own = lost.ownRecord();
		this.record.retire(lost);
		this.keeper = null;
		this.holder = (known != null) ? known : new LeaseRecord(own.generation(), own.expiresAt(), "unknown");
		this.lifecycle.holder(this.holder.toString());
		this.lifecycle.moveTo(LifecycleState.FOLLOWING, "the lease was taken over by " + this.holder);
		this.asking.stop();
		lost.close();
		logger.warn("Following {} now: its lease was taken over by {} while this instance was fenced; reads are "
				+ "served, writes are refused", this.lease.location(), this.holder);
	}

	private void handOver(HandoverRequest pending, LeaseKeeper current) throws Exception {
		long started = System.nanoTime();
		if (!this.lifecycle.moveFrom(LifecycleState.WRITING, LifecycleState.HANDING_OVER,
				"requested by '" + pending.requestedBy() + "'")) {
			return;
		}
		logger.info("Handing over the lease {} to '{}' (requested at {}): writes fenced, flushing to the replica",
				this.lease.location(), pending.requestedBy(), pending.requestedAt());
		boolean flushed = this.change.stopWriting();
		if (!flushed || !current.mayWriteReplica()) {
			this.lifecycle.moveFrom(LifecycleState.HANDING_OVER, LifecycleState.WRITING, "the hand-over was aborted");
			this.change.resume();
			logger.warn("Hand-over of {} to '{}' aborted: {}; this instance stays the writer", this.lease.location(),
					pending.requestedBy(), flushed ? "the lease could not be kept" : "the replica could not be flushed");
			return;
		}
		WriterSeal.seal(this.mark, this.change, current, this.lease);
		this.record.retire(current);
		this.keeper = null;
		// the successor's lease runs for at least a ttl from now (its exact expiry is read at the next poll)
		this.holder = new LeaseRecord(current.ownRecord().generation() + 1,
				this.clock.instant().plus(this.lease.timing().ttl()), pending.requestedBy());
		this.lifecycle.holder(this.holder.toString());
		this.lifecycle.moveTo(LifecycleState.FOLLOWING, "handed over to '" + pending.requestedBy() + "'");
		this.asking.stop();
		current.close();
		long millis = (System.nanoTime() - started) / 1_000_000;
		this.record.handover("to '" + pending.requestedBy() + "' at " + this.clock.instant()
				+ " (flushed and released in " + millis + " ms)");
		this.change.resume();
		logger.info("Handed over the lease {} to '{}' in {} ms; this instance is now a follower (reads only)",
				this.lease.location(), pending.requestedBy(), millis);
	}

	/**
	 * The lease and role as this instance sees them, without I/O.
	 */
	LeaseStatus status() {
		return this.record.status(this.lease.owner(), this.lifecycle, this.keeper, this.holder);
	}

	/**
	 * Stop for good: the context closed. A writer seals the replica's end before its lease is released.
	 */
	void close() {
		this.closed = true;
		LifecycleState last = this.lifecycle.state();
		this.lifecycle.stop();
		LeaseKeeper current = this.keeper;
		if (current != null) {
			if (last == LifecycleState.WRITING || last == LifecycleState.FENCED) {
				WriterSeal.seal(this.mark, this.change, current, this.lease);
			}
			current.close();
		}
	}

}
