package io.github.s3lite.internal.lease;

import java.time.Duration;
import java.time.Instant;

/**
 * The lease's clock arithmetic, from its time to live (ttl). A lease written at {@code t} expires at
 * {@code t + ttl}; its holder renews every {@code ttl/3} and stops writing (fences itself) at
 * {@code expires_at - ttl/6} unless a renewal has succeeded by then. A successor takes over only after
 * {@code expires_at} by its own clock, so the two never overlap as long as the clocks of the instances
 * (and the bucket, which orders the writes) differ by less than {@code ttl/6}.
 *
 * @param ttl the time to live of the lease
 */
public record LeaseTiming(Duration ttl) {

	/**
	 * Create the timing.
	 * @param ttl the time to live, at least one second
	 */
	public LeaseTiming {
		if (ttl == null || ttl.compareTo(Duration.ofSeconds(1)) < 0) {
			throw new IllegalArgumentException("The lease ttl must be at least 1s, not " + ttl);
		}
	}

	/**
	 * Return the expiry of a lease written with a request sent at an instant. Counting from the send
	 * time, not the answer, keeps the holder's view conservative.
	 * @param sentAt when the write was sent
	 * @return the expiry to write into {@code lock.json}
	 */
	public Instant expiresAt(Instant sentAt) {
		return sentAt.plus(this.ttl);
	}

	/**
	 * Return when a holder must stop writing unless it has renewed: {@code expires_at - ttl/6}.
	 * @param expiresAt the expiry of the held lease
	 * @return the fencing deadline
	 */
	public Instant fenceAt(Instant expiresAt) {
		return expiresAt.minus(fenceMargin());
	}

	/**
	 * Return when to renew a lease whose last write was sent at an instant: {@code ttl/3} later.
	 * @param sentAt when the last successful write was sent
	 * @return the time of the next renewal
	 */
	public Instant nextRenewal(Instant sentAt) {
		return sentAt.plus(renewInterval());
	}

	/**
	 * Return when to renew a lease this instance wrote: {@code ttl/3} after the write was sent, which is
	 * one ttl before its expiry.
	 * @param written the lease as written
	 * @return the time of the next renewal
	 */
	public Instant nextRenewalOf(LeaseRecord written) {
		return nextRenewal(written.expiresAt().minus(this.ttl));
	}

	/**
	 * Return the interval of a lease role's polls: {@code ttl/6}, at most 5 s. A follower tries to take
	 * the lease and asks for a hand-over; a writer's poll makes no request.
	 * @return the interval
	 */
	public Duration pollInterval() {
		Duration sixth = this.ttl.dividedBy(6);
		return (sixth.compareTo(Duration.ofSeconds(5)) < 0) ? sixth : Duration.ofSeconds(5);
	}

	/**
	 * Return when to retry a renewal that failed with an error at an instant: soon, but never after
	 * the fencing deadline.
	 * @param failedAt when the renewal failed
	 * @param fenceAt the fencing deadline of the held lease
	 * @return the time of the retry
	 */
	public Instant retryAfterFailure(Instant failedAt, Instant fenceAt) {
		Instant retry = failedAt.plus(retryDelay());
		return retry.isBefore(fenceAt) ? retry : fenceAt;
	}

	/**
	 * Return the renewal period, {@code ttl/3}.
	 * @return the period
	 */
	public Duration renewInterval() {
		return this.ttl.dividedBy(3);
	}

	/**
	 * Return the margin between fencing and expiry, {@code ttl/6}: the clock skew the protocol
	 * tolerates.
	 * @return the margin
	 */
	public Duration fenceMargin() {
		return this.ttl.dividedBy(6);
	}

	/**
	 * Return the pause before retrying a failed renewal, {@code ttl/15} (2s for the default 30s).
	 * @return the pause
	 */
	public Duration retryDelay() {
		return this.ttl.dividedBy(15);
	}

}
