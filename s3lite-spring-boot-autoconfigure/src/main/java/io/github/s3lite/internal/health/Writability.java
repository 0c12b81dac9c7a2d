package io.github.s3lite.internal.health;

import java.time.Duration;
import java.time.Instant;

import io.github.s3lite.internal.lease.LeaseStatus;

/**
 * Whether this instance accepts writes now, why not, and whether that makes it DOWN: shown by health
 * as {@code writable} and {@code writableReason}. Decided without I/O from the lease as this instance
 * sees it and the state of durable commits.
 *
 * @param writable whether a write through s3lite's DataSource would be accepted now
 * @param reason why writes are refused, or {@code null} when writable
 * @param down whether refusing writes makes the instance DOWN: it is fenced, its durable commits fail, or
 * it could not read the lease at startup and has known no holder since (a lone instance that cannot
 * reach the replica), or the lease of the holder it knows expired and it could not take it since (no
 * instance is known to accept writes); a follower of a live holder, and an instance that is catching up
 * or handing over, stay UP (they serve reads)
 */
public record Writability(boolean writable, String reason, boolean down) {

	/**
	 * How long after the known holder's expiry a follower that has not taken the lease is DOWN: its polls
	 * take the lease within {@code ttl/6} of the expiry when the replica answers.
	 */
	static final Duration EXPIRED_HOLDER_GRACE = Duration.ofSeconds(5);

	/** An instance that accepts writes. */
	public static final Writability WRITABLE = new Writability(true, null, false);

	/**
	 * Decide from the lease and durable commits.
	 * @param lease the lease status, or {@code null} without a lease
	 * @param leaseUnreadAtStartup whether the lease could not be read at startup
	 * @param durableCommitsFailing whether durable commits fail (writes are refused until an upload
	 * succeeds)
	 * @param now the current time
	 * @return the decision
	 */
	public static Writability of(LeaseStatus lease, boolean leaseUnreadAtStartup, boolean durableCommitsFailing,
			Instant now) {
		if (durableCommitsFailing) {
			return new Writability(false, "durable commits are failing: the replica did not store the last upload, so "
					+ "writes are refused until an upload succeeds", true);
		}
		if (lease != null && !lease.writer()) {
			return ofLease(lease, leaseUnreadAtStartup, now);
		}
		return WRITABLE;
	}

	private static Writability ofLease(LeaseStatus lease, boolean leaseUnreadAtStartup, Instant now) {
		String role = lease.role();
		if ("fenced".equals(role)) {
			return new Writability(false, "this instance is fenced (" + lease.fencedReason()
					+ "); writes are refused until it re-takes its lease (tried again and again) or follows the instance "
					+ "that took it over", true);
		}
		if ("promoting".equals(role)) {
			return new Writability(false, "this instance took the lease and is catching up with the replica; writes "
					+ "are accepted once it has", false);
		}
		if ("handing-over".equals(role)) {
			return new Writability(false, "this instance is handing the lease over; writes go to the next holder",
					false);
		}
		if (lease.holder() == null && leaseUnreadAtStartup) {
			return new Writability(false, "the lease could not be read at startup (is the replica reachable?) and no "
					+ "holder is known since; writes are refused until this instance can take the lease", true);
		}
		if (lease.holder() != null && lease.expiresAt() != null
				&& now.isAfter(lease.expiresAt().plus(EXPIRED_HOLDER_GRACE))) {
			return new Writability(false, "the lease of '" + lease.holder() + "' expired at " + lease.expiresAt()
					+ " and this instance could not take it since (is the replica reachable?); no instance is known to "
					+ "accept writes", true);
		}
		String holder = (lease.holder() != null) ? "'" + lease.holder() + "'"
				+ ((lease.expiresAt() != null) ? " (lease until " + lease.expiresAt() + ")" : "") : "another instance";
		return new Writability(false, "this instance is a follower (it serves reads); the lease is held by " + holder
				+ ", which accepts the writes", false);
	}

}
