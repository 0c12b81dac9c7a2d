package io.github.s3lite.internal.lease;

import java.util.concurrent.atomic.AtomicLong;

import io.github.s3lite.internal.lifecycle.DatabaseLifecycle;

/**
 * What a {@link LeaseRole} did over its life (hand-overs, the renewals of the leases it held before the
 * current one), and the {@link LeaseStatus} it shows from that, its lifecycle and its current keeper.
 */
final class RoleRecord {

	private final AtomicLong handovers = new AtomicLong();

	private final AtomicLong pastRenewals = new AtomicLong();

	private final AtomicLong pastRenewalFailures = new AtomicLong();

	private volatile String lastHandover;

	/**
	 * Count a hand-over, to or from this instance.
	 * @param description what happened, for the status
	 */
	void handover(String description) {
		this.handovers.incrementAndGet();
		this.lastHandover = description;
	}

	/**
	 * Keep the counts of a keeper whose lease this instance no longer holds.
	 * @param retired the keeper
	 */
	void retire(LeaseKeeper retired) {
		this.pastRenewals.addAndGet(retired.renewals());
		this.pastRenewalFailures.addAndGet(retired.renewalFailures());
	}

	/**
	 * Return the status, without I/O.
	 * @param owner this instance's name on the lease
	 * @param lifecycle the lifecycle of the database
	 * @param keeper the keeper of the lease held now, or {@code null}
	 * @param holder the holder last seen while following, or {@code null}
	 * @return the status
	 */
	LeaseStatus status(String owner, DatabaseLifecycle lifecycle, LeaseKeeper keeper, LeaseRecord holder) {
		boolean writer = lifecycle.isWriter();
		String role = lifecycle.state().label();
		if (keeper != null) {
			LeaseRecord own = keeper.ownRecord();
			LeaseRecord shown = keeper.mayWriteReplica() ? own : keeper.knownHolder();
			return new LeaseStatus(writer, owner, (shown != null) ? shown.owner() : null,
					(shown != null) ? shown.expiresAt() : own.expiresAt(),
					(shown != null) ? shown.generation() : own.generation(),
					this.pastRenewals.get() + keeper.renewals(), this.pastRenewalFailures.get() + keeper.renewalFailures(),
					writer ? null : lifecycle.notWritingReason(), writer ? null : lifecycle.fencedAt(), role,
					this.handovers.get(), this.lastHandover);
		}
		return new LeaseStatus(false, owner, (holder != null) ? holder.owner() : null,
				(holder != null) ? holder.expiresAt() : null, (holder != null) ? holder.generation() : 0,
				this.pastRenewals.get(), this.pastRenewalFailures.get(), "it does not hold the lease", null, role,
				this.handovers.get(), this.lastHandover);
	}

}
