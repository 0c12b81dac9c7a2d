package io.github.s3lite.lease;

import java.io.IOException;
import java.time.Clock;

import io.github.s3lite.storage.ConditionalWritesNotSupportedException;
import io.github.s3lite.storage.ReplicaStore;

/**
 * Takes the lease at startup and hands it to a {@link LeaseKeeper}, or fails startup with a
 * {@link LeaseException} that names the holder, or the provider's answer and the way out.
 */
public final class LeaseAcquisition {

	private LeaseAcquisition() {
	}

	/**
	 * Take the lease and start keeping it.
	 * @param lease the protocol
	 * @param store the store under the protocol, closed by the keeper, or here when acquiring fails
	 * @param clock the clock
	 * @return the keeper, holding the lease
	 * @throws LeaseException when another instance holds the lease, the provider refuses conditional
	 * writes, or the lease cannot be read or written
	 */
	public static LeaseKeeper acquire(ReplicaLease lease, ReplicaStore store, Clock clock) {
		try {
			LeaseAttempt attempt = lease.acquire();
			if (attempt instanceof LeaseAttempt.HeldElsewhere elsewhere) {
				throw new LeaseException("Cannot become the writer of " + lease.location() + ": the lease is held by "
						+ elsewhere.holder() + ". Only one instance may write to a replica: stop the other instance "
						+ "(it releases the lease at graceful shutdown) or wait until its lease expires. Read-only "
						+ "followers are not supported yet.", elsewhere.holder(), null);
			}
			HeldLease held = freshen(lease, ((LeaseAttempt.Acquired) attempt).lease(), clock);
			return LeaseKeeper.start(lease, store, clock, held);
		}
		catch (ConditionalWritesNotSupportedException ex) {
			LeaseKeeper.closeQuietly(store);
			throw new LeaseException("s3lite.lease.enabled=true needs conditional writes (If-None-Match, If-Match) "
					+ "but the provider refused them: " + ex.getMessage() + ". Use a provider that supports S3 "
					+ "conditional writes or set s3lite.lease.enabled=false.", null, ex);
		}
		catch (IOException ex) {
			LeaseKeeper.closeQuietly(store);
			throw new LeaseException("Cannot take the lease " + lease.location() + ": " + ex.getMessage(), null, ex);
		}
		catch (RuntimeException ex) {
			LeaseKeeper.closeQuietly(store);
			throw ex;
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
