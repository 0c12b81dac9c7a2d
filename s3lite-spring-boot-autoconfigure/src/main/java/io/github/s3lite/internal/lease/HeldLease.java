package io.github.s3lite.internal.lease;

/**
 * A lease this instance wrote, with the ETag that proves it is still the one in the store.
 *
 * @param record what was written
 * @param etag the ETag of the written {@code lock.json}, kept in memory only
 */
public record HeldLease(LeaseRecord record, String etag) {

}
