package io.github.s3lite.internal.health;

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
 * reach the replica); a follower of a known holder, and an instance that is catching up or handing over,
 * stay UP (they serve reads)
 */
public record Writability(boolean writable, String reason, boolean down) {

	/** An instance that accepts writes. */
	public static final Writability WRITABLE = new Writability(true, null, false);

	/**
	 * Decide from the lease and durable commits.
	 * @param lease the lease status, or {@code null} without a lease
	 * @param leaseUnreadAtStartup whether the lease could not be read at startup
	 * @param durableCommitsFailing whether durable commits fail (writes are refused until an upload
	 * succeeds)
	 * @return the decision
	 */
	public static Writability of(LeaseStatus lease, boolean leaseUnreadAtStartup, boolean durableCommitsFailing) {
		if (durableCommitsFailing) {
			return new Writability(false, "durable commits are failing: the replica did not store the last upload, so "
					+ "writes are refused until an upload succeeds", true);
		}
		if (lease != null && !lease.writer()) {
			return ofLease(lease, leaseUnreadAtStartup);
		}
		return WRITABLE;
	}

	private static Writability ofLease(LeaseStatus lease, boolean leaseUnreadAtStartup) {
		String role = lease.role();
		if ("fenced".equals(role)) {
			return new Writability(false, "this instance is fenced (" + lease.fencedReason()
					+ "); writes are refused until it restarts", true);
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
		String holder = (lease.holder() != null) ? "'" + lease.holder() + "'"
				+ ((lease.expiresAt() != null) ? " (lease until " + lease.expiresAt() + ")" : "") : "another instance";
		return new Writability(false, "this instance is a follower (it serves reads); the lease is held by " + holder
				+ ", which accepts the writes", false);
	}

}
