package io.github.s3lite.internal.lease;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.s3lite.internal.lifecycle.DatabaseLifecycle;
import io.github.s3lite.internal.replication.OutageLog;

/**
 * Holds the lease for the life of the application context, from its acquisition ({@link LeaseAcquisition}):
 * renews it every {@code ttl/3} on a daemon thread ({@code s3lite-lease-keeper}; requests run on
 * {@code s3lite-lease-io}, so a hung request never delays fencing) and fences this instance when the lease
 * cannot be renewed by {@code expires_at - ttl/6} ({@link LeaseHold#FENCED}) or was taken over
 * ({@link LeaseHold#LOST}, for good). A fenced keeper keeps trying to re-take its lease with the ETag it last
 * wrote: that write succeeds only if nobody wrote the lease since (but a follower adding a hand-over request,
 * {@link #takeHandoverRequest()}), so nobody else became the writer, and
 * the lease is then held again ({@link LeaseHold#RECLAIMED}) with writes still fenced until the owner of the
 * keeper has restarted replication and calls {@link #resumeWriting()}. It releases the lease in
 * {@link #close()}, which the context calls after the pool closed and replication stopped. Whether
 * this instance may write is the {@link DatabaseLifecycle}'s answer: the keeper sets its fencing
 * deadline at every renewal and fences it.
 */
public final class LeaseKeeper implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(LeaseKeeper.class);

	private final ReplicaLease lease;

	private final Clock clock;

	private final DatabaseLifecycle lifecycle;

	private final ScheduledExecutorService scheduler = Executors.newSingleThreadScheduledExecutor((task) -> {
		Thread thread = new Thread(task, "s3lite-lease-keeper");
		thread.setDaemon(true);
		return thread;
	});

	private final List<Runnable> changeListeners = new CopyOnWriteArrayList<>();

	private final AtomicLong renewals = new AtomicLong();

	private final AtomicLong renewalFailures = new AtomicLong();

	private final LeaseRequests requests;

	private final OutageLog renewalLog;

	private final HoldState state;

	private LeaseKeeper(ReplicaLease lease, Clock clock, HeldLease held,
			DatabaseLifecycle lifecycle) {
		this.lease = lease;
		this.clock = clock;
		this.requests = new LeaseRequests(lease, held, () -> this.changeListeners.forEach(Runnable::run));
		this.lifecycle = lifecycle;
		this.renewalLog = new OutageLog(logger, "Lease renewal of " + lease.location(), clock);
		this.state = new HoldState(clock, lease.timing().fenceAt(held.record().expiresAt()));
		lifecycle.writeUntil(this.state.writerUntil());
	}

	/**
	 * Start keeping a lease just acquired.
	 * @param lease the protocol
	 * @param clock the clock
	 * @param held the lease, fresh (its fencing deadline not passed)
	 * @param lifecycle the lifecycle whose fencing deadline the keeper sets and which it fences
	 * @return the keeper
	 */
	static LeaseKeeper start(ReplicaLease lease, Clock clock, HeldLease held,
			DatabaseLifecycle lifecycle) {
		LeaseKeeper keeper = new LeaseKeeper(lease, clock, held, lifecycle);
		logger.info("Lease acquired: {} as '{}', generation {}, expires {} (renewed every {})", lease.location(),
				lease.owner(), held.record().generation(), held.record().expiresAt(), lease.timing().renewInterval());
		keeper.scheduleRenewal(lease.timing().nextRenewalOf(held.record()));
		return keeper;
	}

	/**
	 * Run a short action on the keeper's threads whenever the lease is re-taken or lost, or a renewal
	 * brought a hand-over request.
	 * @param listener the action
	 */
	void whenChanged(Runnable listener) {
		this.changeListeners.add(listener);
	}

	/**
	 * Return the state of the lease.
	 * @return the state
	 */
	LeaseHold state() {
		return this.state.hold();
	}

	/**
	 * Return whether replica writes may start: the lease is held and its fencing deadline has not passed
	 * (writes through the pool may still be fenced, while replication restarts).
	 * @return whether this instance may write to the replica
	 */
	boolean mayWriteReplica() {
		return this.state.mayWriteReplica();
	}

	/**
	 * Let writes through again once the lease was re-taken and replication restarted.
	 * @return whether writes are accepted; {@code false} when the lease was fenced or lost again meanwhile
	 */
	boolean resumeWriting() {
		return this.state.resumeWriting();
	}

	/**
	 * Take the hand-over request a follower added to the lease, which a renewal consumed, if any.
	 * @return the request, once
	 */
	Optional<HandoverRequest> takeHandoverRequest() {
		return this.requests.takeHandoverRequest();
	}

	/**
	 * Return the lease record this instance last wrote.
	 * @return the record
	 */
	LeaseRecord ownRecord() {
		return this.requests.held().record();
	}

	/**
	 * Return the holder this instance learned of when its lease was taken over, else {@code null}.
	 * @return the holder
	 */
	LeaseRecord knownHolder() {
		return this.state.knownHolder();
	}

	/**
	 * Return how many renewals succeeded.
	 * @return the count
	 */
	long renewals() {
		return this.renewals.get();
	}

	/**
	 * Return how many renewals failed.
	 * @return the count
	 */
	long renewalFailures() {
		return this.renewalFailures.get();
	}

	private void scheduleRenewal(Instant at) {
		long delay = Math.max(0, Duration.between(this.clock.instant(), at).toMillis());
		if (!this.state.closed()) {
			this.scheduler.schedule(this::renew, delay, TimeUnit.MILLISECONDS);
		}
	}

	/**
	 * Renew the lease, or, once fenced, try to re-take it: the same conditional write with the ETag this
	 * instance last wrote, bounded by the fencing deadline (by {@code ttl/3} when fenced).
	 */
	private void renew() {
		if (this.state.closed() || this.state.hold() == LeaseHold.LOST) {
			return;
		}
		boolean fenced = this.state.hold() == LeaseHold.FENCED;
		Instant fenceAt = this.state.writerUntil();
		long wait = fenced ? this.lease.timing().renewInterval().toMillis()
				: Duration.between(this.clock.instant(), fenceAt).toMillis();
		if (wait <= 0) {
			fence("its lease could not be renewed by " + fenceAt + " (expires_at - ttl/6)", null, LeaseHold.FENCED);
			scheduleRenewal(this.clock.instant().plus(this.lease.timing().retryDelay()));
			return;
		}
		try {
			Optional<HeldLease> renewed = this.requests.renew(wait);
			this.renewalLog.succeeded();
			if (renewed.isEmpty()) {
				lost();
				return;
			}
			renewed(renewed.get(), fenced);
		}
		catch (TimeoutException | ExecutionException ex) {
			this.renewalFailures.incrementAndGet();
			if (fenced) {
				logger.debug("Re-taking the lease {} failed, retrying: {}", this.lease.location(), ex.toString());
				scheduleRenewal(this.clock.instant().plus(this.lease.timing().retryDelay()));
			}
			else if (ex instanceof TimeoutException) {
				fence("its lease renewal did not finish by " + fenceAt + " (expires_at - ttl/6)", null, LeaseHold.FENCED);
				scheduleRenewal(this.clock.instant().plus(this.lease.timing().retryDelay()));
			}
			else {
				this.renewalLog.failed(ex);
				scheduleRenewal(this.lease.timing().retryAfterFailure(this.clock.instant(), fenceAt));
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private void renewed(HeldLease renewed, boolean wasFenced) {
		this.renewals.incrementAndGet();
		Instant writerUntil = this.lease.timing().fenceAt(renewed.record().expiresAt());
		if (!this.state.renewed(writerUntil, wasFenced)) {
			return;
		}
		this.lifecycle.writeUntil(writerUntil);
		if (wasFenced) {
			logger.info("Lease re-taken: {} was not written by anyone since this instance ('{}') was fenced at {}, so "
					+ "it is still the replica's only writer; writes resume once replication has restarted",
					this.lease.location(), this.lease.owner(), this.lifecycle.fencedAt());
			this.changeListeners.forEach(Runnable::run);
		}
		else {
			logger.debug("Lease renewed until {}", renewed.record().expiresAt());
		}
		scheduleRenewal(this.lease.timing().nextRenewalOf(renewed.record()));
	}

	private void lost() {
		LeaseRecord holder = this.requests.readHolder(this.lease.timing().renewInterval());
		fence("its lease was taken over by " + ((holder != null) ? holder : "another instance"), holder, LeaseHold.LOST);
	}

	private void fence(String reason, LeaseRecord holder, LeaseHold next) {
		LeaseHold previous = this.state.fence(next, holder);
		if (previous == null) {
			return;
		}
		// halts replication (the lifecycle's fenced actions) when this instance was writing or catching up
		this.lifecycle.fence(reason, (holder != null) ? holder.toString() : null);
		if (previous == LeaseHold.WRITING || previous == LeaseHold.RECLAIMED) {
			logger.warn("Fenced: this instance ('{}') stopped writing to {} because {}; s3lite's DataSource refuses "
					+ "writes and nothing more is uploaded{}", this.lease.owner(), this.lease.location(), reason,
					(next == LeaseHold.FENCED) ? " until the lease is re-taken (retried every "
							+ this.lease.timing().retryDelay().toMillis() + " ms)" : "");
		}
		if (next == LeaseHold.LOST) {
			this.changeListeners.forEach(Runnable::run);
		}
	}

	/**
	 * Stop renewing and, unless the lease was taken over, release it (a conditional write of the lease
	 * expired, with the ETag this instance last wrote), bounded by {@code min(ttl/3, 10s)}. The context calls this after the pool
	 * closed and replication stopped. Never throws.
	 */
	@Override
	public void close() {
		if (!this.state.close()) {
			return;
		}
		this.scheduler.shutdownNow();
		if (this.state.hold() != LeaseHold.LOST) {
			this.requests.release();
		}
		this.requests.shutdown();
	}

}
