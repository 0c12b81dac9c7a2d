package io.github.s3lite.internal.lease;

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
 * @param role {@code writer}; {@code follower} (serves reads, waits for the lease); {@code promoting}
 * (took the lease, catching up before its first write); {@code handing-over} (flushing before it
 * releases the lease to a follower that asked); {@code fenced} (lost the lease or could not renew it in
 * time; stays so until restart)
 * @param handovers hand-overs this instance took part in (given or received)
 * @param lastHandover the last hand-over, e.g. {@code to 'web-2' at 2026-09-01T10:00:00Z (no writer for
 * 1830 ms)}, or {@code null}
 */
public record LeaseStatus(boolean writer, String owner, String holder, Instant expiresAt, long generation,
		long renewals, long renewalFailures, String fencedReason, Instant fencedAt, String role, long handovers,
		String lastHandover) {


}
