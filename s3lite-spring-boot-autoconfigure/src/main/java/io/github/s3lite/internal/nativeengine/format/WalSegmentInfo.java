package io.github.s3lite.internal.nativeengine.format;

import java.time.Instant;

/**
 * A WAL segment in a replica: a byte range of one WAL index.
 *
 * @param generation the generation
 * @param index the WAL index
 * @param offset the byte offset of the segment within that index's WAL
 * @param size the stored (encoded) size in bytes
 * @param createdAt when it was stored (the object's last-modified time)
 * @param key the object key
 */
public record WalSegmentInfo(String generation, long index, long offset, long size, Instant createdAt, String key) {

}
