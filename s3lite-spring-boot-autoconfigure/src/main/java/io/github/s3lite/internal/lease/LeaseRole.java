package io.github.s3lite.internal.lease;

import java.io.IOException;
import java.time.Clock;
import java.time.Instant;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.s3lite.internal.lifecycle.DatabaseLifecycle;
import io.github.s3lite.internal.lifecycle.LifecycleState;
import io.github.s3lite.internal.storage.ConditionalWritesNotSupportedException;
import io.github.s3lite.internal.storage.ReplicaStore;
import io.github.s3lite.internal.storage.WritePermit;

/**
 * The role of this instance on its replica, carried out on its {@link DatabaseLifecycle} (which answers
 * whether it may write): the writer while it holds the lease ({@link LeaseKeeper}) and has caught up;
 * otherwise a follower that serves reads. On its own thread ({@code s3lite-lease-role}) it polls every
 * {@link LeaseTiming#pollInterval()}: a follower tries to take the lease (free after the holder
 * released it or let it expire) and asks a holder to hand over ({@link HandoverAsking}); a writer hands
 * over once a renewal of its keeper brought such a request (its polls make no request), a fenced writer
 * resumes once its lease is re-taken and follows once it is lost ({@link RoleTransitions}).
 */
public final class LeaseRole implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(LeaseRole.class);

	private final ReplicaLease lease;

	private final ReplicaStore store;

	private final DatabaseLifecycle lifecycle;

	private final WriterMark mark;

	private final RoleTransitions transitions;

	private final UnreadLease unread;

	private final RolePolling polling;

	private LeaseRole(ReplicaLease lease, ReplicaStore store, Clock clock, Instant startedAt,
			DatabaseLifecycle lifecycle) {
		this.lease = lease;
		this.store = store;
		this.lifecycle = lifecycle;
		this.mark = new WriterMark(store, this::replicaWriteGranted);
		this.unread = new UnreadLease(lease);
		this.transitions = new RoleTransitions(lease, clock, lifecycle, this.mark,
				new HandoverAsking(lease, this.mark, clock, startedAt), this::pollNow);
		this.polling = new RolePolling(lease, lifecycle, this.transitions, clock);
	}

	/**
	 * Take the lease at startup, or start as a follower when a live instance holds it, with a lifecycle of
	 * its own (for tests of the role alone).
	 * @param lease the protocol
	 * @param store the store under the protocol, closed by {@link #close()} (or here on failure)
	 * @param clock the clock
	 * @return the role
	 * @throws LeaseException when the provider refuses conditional writes or the lease is unreadable
	 */
	public static LeaseRole start(ReplicaLease lease, ReplicaStore store, Clock clock) {
		return start(lease, store, clock, clock.instant(), new DatabaseLifecycle(clock, lease.location(), lease.owner()),
				true);
	}

	/**
	 * Take the lease at startup, or start as a follower when a live instance holds it: a follower's
	 * lifecycle moves to {@link LifecycleState#FOLLOWING} at once, a writer's stays
	 * {@link LifecycleState#STARTING} until {@link #startedWriting()}.
	 * @param lease the protocol
	 * @param store the store under the protocol, closed by {@link #close()} (or here on failure)
	 * @param clock the clock
	 * @param startedAt when this instance started (its application context began to refresh): a holder
	 * that became the writer after that instant started together with this one, and is not asked to hand
	 * over
	 * @param lifecycle the lifecycle of the database, {@link LifecycleState#STARTING}
	 * @param requestHandover whether a follower asks the holder it found to hand over
	 * @return the role
	 * @throws LeaseException when the provider refuses conditional writes or the lease is unreadable
	 */
	public static LeaseRole start(ReplicaLease lease, ReplicaStore store, Clock clock, Instant startedAt,
			DatabaseLifecycle lifecycle, boolean requestHandover) {
		LeaseRole role = new LeaseRole(lease, store, clock, startedAt, lifecycle);
		try {
			LeaseAttempt attempt = LeaseAcquisition.attemptAtStartup(lease, clock);
			if (attempt instanceof LeaseAttempt.Acquired acquired) {
				role.transitions.hold(acquired.lease());
			}
			else {
				LeaseRecord holder = ((LeaseAttempt.HeldElsewhere) attempt).holder();
				role.transitions.follow(holder, "the lease is held by " + holder);
				if (requestHandover) {
					role.transitions.asking().askFromStart();
				}
				logger.info("Starting as a follower of {}: the lease is held by {}; reads are served, writes are "
						+ "refused until this instance ('{}') becomes the writer ({})", lease.location(), holder,
						lease.owner(), requestHandover ? "it asks for a hand-over"
								: "when the lease is released or expires; s3lite.follower.request-handover is false");
			}
			return role;
		}
		catch (LeaseException ex) {
			if (!(ex.getCause() instanceof IOException) || ex.getCause() instanceof ConditionalWritesNotSupportedException) {
				closeQuietly(store);
				throw ex;
			}
			role.transitions.follow(null, "the lease could not be read");
			role.unread.record(ex);
			return role;
		}
		catch (RuntimeException ex) {
			closeQuietly(store);
			throw ex;
		}
	}

	/**
	 * Return the lifecycle of the database this role carries out.
	 * @return the lifecycle
	 */
	public DatabaseLifecycle lifecycle() {
		return this.lifecycle;
	}

	/**
	 * Return the mark that tells whether a local database is the replica's tail.
	 * @return the mark
	 */
	public WriterMark writerMark() {
		return this.mark;
	}

	/**
	 * Return whether this instance took the lease at startup (and still holds it), so that it starts as
	 * the writer once it has caught up.
	 * @return whether it holds the lease
	 */
	public boolean holdsLease() {
		return this.transitions.holdsLease();
	}

	/**
	 * The writer's start-up is over (caught up, replicating): accept writes, unless the lease was lost or
	 * not renewed meanwhile, which fences this instance at once.
	 */
	public void startedWriting() {
		this.transitions.startedWriting();
	}

	/**
	 * Return whether the lease could not be read at startup (an unreachable store, rejected credentials,
	 * a missing bucket), so that this instance started as a follower that retries.
	 * @return whether the startup attempt failed
	 */
	public boolean leaseUnreadAtStartup() {
		return this.unread.happened();
	}

	/**
	 * Log, once, that this instance started as a follower because it could not read the lease, with the
	 * cause; called when startup got past the checks that would fail it (a missing bucket, rejected
	 * credentials), so that no such line precedes a fatal start-up error. Does nothing otherwise.
	 */
	public void reportUnreadLease() {
		this.unread.report();
	}

	/**
	 * Start polling, with what carries out changes of role.
	 * @param change the role change
	 */
	public void watch(RoleChange change) {
		this.transitions.carryOutWith(change);
		this.polling.start();
	}

	/**
	 * Return whether this instance may write now (its lifecycle's answer).
	 * @return whether it is the writer
	 */
	public boolean isWriter() {
		return this.lifecycle.isWriter();
	}

	/**
	 * Ask the current holder to hand over to this instance (the ops endpoint's {@code handover}).
	 * @return whether this instance is a follower that will now ask
	 */
	public boolean requestHandover() {
		if (this.lifecycle.state() != LifecycleState.FOLLOWING || this.polling.closed()) {
			return false;
		}
		this.transitions.asking().askNow();
		this.polling.now();
		return true;
	}

	/**
	 * Return the lease and role as this instance sees them, without I/O.
	 * @return the status
	 */
	public LeaseStatus status() {
		return this.transitions.status();
	}

	/**
	 * Return the permit of replica writes: granted while this instance holds the lease and its fencing
	 * deadline has not passed, also while it catches up before accepting writes.
	 * @return the permit
	 */
	public WritePermit replicaWritePermit() {
		return this::replicaWriteGranted;
	}

	private boolean replicaWriteGranted() {
		return this.transitions.mayWriteReplica();
	}

	private void pollNow() {
		this.polling.now();
	}

	/**
	 * Stop polling and, while this instance holds the lease, seal the replica and release the lease
	 * (after the pool closed and replication stopped: the context destroys this bean after them). Never
	 * throws.
	 */
	@Override
	public void close() {
		this.polling.close();
		this.transitions.close();
		closeQuietly(this.store);
	}

	private static void closeQuietly(AutoCloseable closeable) {
		try {
			closeable.close();
		}
		catch (Exception ex) {
			logger.debug("Could not close {}", closeable, ex);
		}
	}

}
