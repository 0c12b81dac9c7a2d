package io.github.s3lite.lease;

import java.time.Instant;

/**
 * The lease as this instance sees it, without I/O: for health, metrics and the ops endpoint.
 *
 * @param writer whether this instance is the writer now
 * @param owner the name this instance writes as owner
 * @param holder the holder as last known: this instance while it is the writer, else the instance that
 * took the lease over, or {@code null} when unknown
 * @param expiresAt expiry of the lease as last known
 * @param generation generation of the lease as last known
 * @param renewals successful renewals so far
 * @param renewalFailures renewals that failed with an error or did not finish in time
 * @param fencedReason why this instance stopped writing, or {@code null} while it is the writer
 * @param fencedAt when this instance stopped writing, or {@code null} while it is the writer
 */
public record LeaseStatus(boolean writer, String owner, String holder, Instant expiresAt, long generation,
		long renewals, long renewalFailures, String fencedReason, Instant fencedAt) {

	/**
	 * Return the role, {@code writer} or {@code fenced}.
	 * @return the role
	 */
	public String role() {
		return this.writer ? "writer" : "fenced";
	}

}
