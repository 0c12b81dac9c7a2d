package io.github.s3lite.internal.lease;

/**
 * What a {@link LeaseKeeper} knows of its lease.
 */
enum LeaseHold {

	/** Held and renewed; this instance writes. */
	WRITING,

	/** Not renewed in time; writes fenced, the lease is re-taken when the store answers again. */
	FENCED,

	/** Re-taken after a fence; writes stay fenced until {@link LeaseKeeper#resumeWriting()}. */
	RECLAIMED,

	/** Taken over by another instance; for good. */
	LOST

}
