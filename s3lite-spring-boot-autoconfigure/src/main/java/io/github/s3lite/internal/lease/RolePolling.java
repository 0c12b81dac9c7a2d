package io.github.s3lite.internal.lease;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.s3lite.internal.lifecycle.DatabaseLifecycle;
import io.github.s3lite.internal.lifecycle.LifecycleState;
import io.github.s3lite.internal.replication.OutageLog;

/**
 * The thread of a {@link LeaseRole} ({@code s3lite-lease-role}): every
 * {@link LeaseTiming#pollInterval()} (every 100 ms while a follower awaits the hand-over it asked
 * for), and at once when the lease changed, a renewal brought a hand-over request or the ops endpoint
 * asked, it runs the next {@link RoleTransitions transition} (a writer's makes no request). A check that fails (the replica is unreachable) is retried at the
 * next poll and reported once per outage ({@link OutageLog}).
 */
final class RolePolling {

	private static final Logger logger = LoggerFactory.getLogger(LeaseRole.class);

	private static final Duration FAST_POLL = Duration.ofMillis(100);

	private final ReplicaLease lease;

	private final DatabaseLifecycle lifecycle;

	private final RoleTransitions transitions;

	private final OutageLog checks;

	private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor((task) -> {
		Thread daemon = new Thread(task, "s3lite-lease-role");
		daemon.setDaemon(true);
		return daemon;
	});

	private volatile ScheduledFuture<?> next;

	private volatile boolean closed;

	RolePolling(ReplicaLease lease, DatabaseLifecycle lifecycle, RoleTransitions transitions, Clock clock) {
		this.lease = lease;
		this.lifecycle = lifecycle;
		this.transitions = transitions;
		this.checks = new OutageLog(logger, "Lease check of " + lease.location(), clock);
	}

	/** Start polling. */
	void start() {
		schedule(this.lease.timing().pollInterval());
	}

	/**
	 * Run the next transition now, on the polling thread, and the poll after it a whole interval later (a
	 * writer that hands over now must not, as a follower, take the released lease before its successor).
	 */
	void now() {
		ScheduledFuture<?> scheduled = this.next;
		try {
			if (!this.closed) {
				this.thread.execute((scheduled != null && scheduled.cancel(false)) ? this::tickAndReschedule : this::tick);
			}
		}
		catch (RejectedExecutionException ex) {
			logger.debug("Not polling {} now: the role is closing", this.lease.location());
		}
	}

	boolean closed() {
		return this.closed;
	}

	private void schedule(Duration delay) {
		if (!this.closed) {
			this.next = this.thread.schedule(this::tickAndReschedule, delay.toMillis(), TimeUnit.MILLISECONDS);
		}
	}

	private void tickAndReschedule() {
		tick();
		boolean awaitingHandover = this.lifecycle.state() == LifecycleState.FOLLOWING
				&& this.transitions.asking().awaitsHandover();
		schedule(awaitingHandover ? FAST_POLL : this.lease.timing().pollInterval());
	}

	private void tick() {
		try {
			if (!this.closed) {
				this.transitions.next();
				this.checks.succeeded();
			}
		}
		catch (Exception ex) {
			this.checks.failed(ex);
		}
	}

	/** Stop polling; waits up to 10 s for a transition under way. */
	void close() {
		this.closed = true;
		this.thread.shutdownNow();
		try {
			this.thread.awaitTermination(10, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
