package io.github.s3lite.internal.follow;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.s3lite.replication.ReplicaPosition;

/**
 * Bounded waits until a follower's readers reached a replica position (read-your-writes): a waiter whose
 * position is not published yet refreshes, then waits for the next check to end, the periodic one or
 * another waiter's. Checks are paced: one waiter refreshes at a time, and no refresh starts less than
 * {@link #PACE} after the last check ended, however many requests wait, so waiting costs at most one
 * LIST per {@link #PACE} (plus what a refresh that found something downloads).
 */
final class PositionWaits {

	/** The shortest time between the end of one check and a waiter's next refresh. */
	static final Duration PACE = Duration.ofMillis(200);

	private static final Logger logger = LoggerFactory.getLogger(PositionWaits.class);

	private final BooleanSupplier following;

	private final Supplier<ReplicaPosition> published;

	private final Refresh refresh;

	private final Object monitor = new Object();

	/** Checks ended so far, under the monitor. */
	private long checks;

	/** When the last check ended ({@link System#nanoTime()}), under the monitor. */
	private long lastCheckEnded;

	/** Whether a waiter is refreshing, under the monitor. */
	private boolean refreshing;

	/**
	 * Create the waits of one follower.
	 * @param following whether the instance follows now
	 * @param published the position its readers reached, {@code null} when none is published
	 * @param refresh checks the replica now and publishes what it found; calls {@link #checked()}
	 */
	PositionWaits(BooleanSupplier following, Supplier<ReplicaPosition> published, Refresh refresh) {
		this.following = following;
		this.published = published;
		this.refresh = refresh;
		this.lastCheckEnded = System.nanoTime() - PACE.toNanos();
	}

	/**
	 * Record that a check of the replica ended (published or not), and wake the waiters.
	 */
	void checked() {
		synchronized (this.monitor) {
			this.checks++;
			this.lastCheckEnded = System.nanoTime();
			this.monitor.notifyAll();
		}
	}

	/**
	 * Wait until the readers reached a position, or this instance stops following.
	 * @param target the position
	 * @param timeout the longest wait, {@link Duration#ZERO} to look at the published position only
	 * @return whether it was reached (or the instance does not follow)
	 * @throws InterruptedException when interrupted while waiting
	 */
	boolean await(ReplicaPosition target, Duration timeout) throws InterruptedException {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (true) {
			if (!this.following.getAsBoolean()) {
				return true;
			}
			ReplicaPosition now = this.published.get();
			if (now != null && now.reached(target)) {
				return true;
			}
			long left = deadline - System.nanoTime();
			if (left <= 0) {
				return false;
			}
			long seen;
			long pause;
			synchronized (this.monitor) {
				seen = this.checks;
				long sinceLast = System.nanoTime() - this.lastCheckEnded;
				pause = (this.refreshing) ? PACE.toNanos() : Math.max(0, PACE.toNanos() - sinceLast);
				this.refreshing |= (pause == 0);
			}
			if (pause == 0) {
				refresh(now == null || !now.generation().equals(target.generation()));
			}
			else {
				awaitCheck(seen, Math.min(pause, left));
			}
		}
	}

	private void refresh(boolean fullListing) {
		try {
			this.refresh.refresh(fullListing);
		}
		catch (IOException | RuntimeException ex) {
			logger.debug("A follower's refresh for a position failed; retrying while the wait lasts", ex);
		}
		finally {
			synchronized (this.monitor) {
				// paced from here even when the refresh failed before recording its check
				this.refreshing = false;
				this.lastCheckEnded = System.nanoTime();
			}
		}
	}

	private void awaitCheck(long seen, long nanos) throws InterruptedException {
		long deadline = System.nanoTime() + nanos;
		synchronized (this.monitor) {
			long left = nanos;
			while (this.checks == seen && left > 0) {
				TimeUnit.NANOSECONDS.timedWait(this.monitor, left);
				left = deadline - System.nanoTime();
			}
		}
	}

	/**
	 * Check the replica now and publish what it found.
	 */
	@FunctionalInterface
	interface Refresh {

		/**
		 * Refresh.
		 * @param fullListing whether to list the whole replica (a position of another generation)
		 * @throws IOException when the replica cannot be read
		 */
		void refresh(boolean fullListing) throws IOException;

	}

}
