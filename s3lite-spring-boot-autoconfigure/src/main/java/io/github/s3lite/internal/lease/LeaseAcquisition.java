package io.github.s3lite.internal.lease;

import java.io.IOException;
import java.time.Clock;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.s3lite.internal.storage.ConditionalWritesNotSupportedException;

/**
 * One attempt to take the lease, at startup and on every poll of a follower: the lease (renewed at
 * once if taking it was slow), who holds it, or a {@link LeaseException} that names the provider's
 * answer and the way out.
 */
public final class LeaseAcquisition {

	private static final Logger logger = LoggerFactory.getLogger(LeaseAcquisition.class);

	private static final long[] STARTUP_PAUSES_MILLIS = { 250, 1000 };

	private LeaseAcquisition() {
	}

	/**
	 * Try to take the lease once.
	 * @param lease the protocol
	 * @param clock the clock
	 * @return the held lease (fresh: its fencing deadline not passed), or who holds it
	 * @throws LeaseException when the provider refuses conditional writes, or the lease cannot be read or
	 * written
	 */
	public static LeaseAttempt attempt(ReplicaLease lease, Clock clock) {
		try {
			LeaseAttempt attempt = lease.acquire();
			if (attempt instanceof LeaseAttempt.Acquired acquired) {
				return new LeaseAttempt.Acquired(freshen(lease, acquired.lease(), clock));
			}
			return attempt;
		}
		catch (ConditionalWritesNotSupportedException ex) {
			throw new LeaseException("s3lite.lease.enabled=true needs conditional writes (If-None-Match, If-Match) "
					+ "but the provider refused them: " + ex.getMessage() + ". Use a provider that supports S3 "
					+ "conditional writes or set s3lite.lease.enabled=false.", null, ex);
		}
		catch (IOException ex) {
			throw new LeaseException("Cannot take the lease " + lease.location() + ": " + ex.getMessage(), null, ex);
		}
	}

	/**
	 * Try to take the lease at startup: an attempt whose write failed with a storage error after the
	 * lease was read (every answer of the client's retries lost, so whether it took effect is unknown) is
	 * made again, twice, after 0.25 s and 1 s, before the caller starts as a follower. A write that took
	 * effect is then found in the store and recognised as this instance's own ({@link ReplicaLease}),
	 * instead of being followed for one ttl. A store that cannot be read is not tried again here.
	 * @param lease the protocol
	 * @param clock the clock
	 * @return the held lease, or who holds it
	 * @throws LeaseException as {@link #attempt}, after the last attempt
	 */
	public static LeaseAttempt attemptAtStartup(ReplicaLease lease, Clock clock) {
		for (long pause : STARTUP_PAUSES_MILLIS) {
			try {
				return attempt(lease, clock);
			}
			catch (LeaseException ex) {
				if (!lease.hasUnconfirmedWrite()) {
					throw ex;
				}
				logger.info("{}; trying again in {} ms", ex.getMessage(), pause);
				sleep(pause);
			}
		}
		return attempt(lease, clock);
	}

	private static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new LeaseException("Interrupted while taking the lease", null, ex);
		}
	}

	/**
	 * Renew a lease whose acquisition took so long (a cold client, a slow store) that its fencing
	 * deadline has passed; the If-Match of the renewal proves nobody took it over meanwhile.
	 */
	private static HeldLease freshen(ReplicaLease lease, HeldLease held, Clock clock) throws IOException {
		if (clock.instant().isBefore(lease.timing().fenceAt(held.record().expiresAt()))) {
			return held;
		}
		HeldLease renewed = lease.renew(held)
			.orElseThrow(() -> new IOException("the lease was taken over right after it was acquired"));
		if (!clock.instant().isBefore(lease.timing().fenceAt(renewed.record().expiresAt()))) {
			throw new IOException("the store answers more slowly than s3lite.lease.ttl allows (" + lease.timing().ttl()
					+ "); raise s3lite.lease.ttl");
		}
		return renewed;
	}

}
