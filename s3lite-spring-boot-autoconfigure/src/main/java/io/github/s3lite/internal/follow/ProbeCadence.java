package io.github.s3lite.internal.follow;

import java.time.Duration;

/**
 * When a follower looks at the replica next, and how: every {@code refresh-interval} while the replica
 * is active, then at twice the previous delay, up to {@link #MAX_IDLE} (or the interval, when it is
 * longer). The replica is active for {@link #HOT} after it moved twice within {@link #ACTIVE_GAP} (and
 * after a restore); a lone move brings the delay back to the interval, from which it doubles again. So
 * a lone move costs a few probes, not a minute of them: litestream's checkpoint of a database that has
 * been idle for a {@code checkpoint-interval} is one (it writes {@code _litestream_seq}: a new WAL
 * segment with no write of the application). Every {@link #FULL_LISTING_EVERY}th probe is a full listing instead of a listing from
 * the follower's position: it is the one that sees a new generation whose name sorts before the followed
 * one. Not thread-safe: the follower's thread owns it.
 */
final class ProbeCadence {

	/** How long a follower keeps probing at the interval once the replica is active. */
	static final Duration HOT = Duration.ofSeconds(60);

	/** Two moves at most this far apart make the replica active. */
	static final Duration ACTIVE_GAP = Duration.ofSeconds(30);

	/** The longest delay between two probes of an idle replica (unless the interval is longer). */
	static final Duration MAX_IDLE = Duration.ofSeconds(10);

	/** One probe in this many is a full listing. */
	static final int FULL_LISTING_EVERY = 10;

	private final Duration interval;

	private final Duration maxIdle;

	private Duration delay;

	private long lastMoved;

	private long hotUntil;

	private long probes;

	/**
	 * Start active: a follower has just restored.
	 * @param interval {@code s3lite.follower.refresh-interval}, positive
	 * @param now the current {@link System#nanoTime()}
	 */
	ProbeCadence(Duration interval, long now) {
		this.interval = interval;
		this.maxIdle = (interval.compareTo(MAX_IDLE) > 0) ? interval : MAX_IDLE;
		this.delay = interval;
		this.lastMoved = now;
		this.hotUntil = now + HOT.toNanos();
	}

	/**
	 * Return how long to wait before the next probe.
	 * @param now the current {@link System#nanoTime()}
	 * @return the delay
	 */
	Duration nextDelay(long now) {
		if (now - this.hotUntil < 0) {
			this.delay = this.interval;
		}
		else {
			Duration doubled = this.delay.multipliedBy(2);
			this.delay = (doubled.compareTo(this.maxIdle) > 0) ? this.maxIdle : doubled;
		}
		return this.delay;
	}

	/**
	 * Return whether the probe about to run is a full listing.
	 * @return {@code true} for one probe in {@link #FULL_LISTING_EVERY}
	 */
	boolean fullListingNext() {
		return this.probes % FULL_LISTING_EVERY == FULL_LISTING_EVERY - 1;
	}

	/**
	 * Record a probe.
	 * @param moved whether the replica had moved
	 * @param now the current {@link System#nanoTime()}
	 */
	void probed(boolean moved, long now) {
		this.probes++;
		if (moved) {
			if (now - this.lastMoved <= ACTIVE_GAP.toNanos()) {
				this.hotUntil = now + HOT.toNanos();
			}
			this.lastMoved = now;
			this.delay = this.interval;
		}
	}

}
