package io.github.s3lite.internal.nativeengine.format;

import java.time.Instant;

/**
 * A snapshot in a replica: the whole database file as of one WAL index.
 *
 * @param generation the generation
 * @param index the WAL index current when the snapshot was taken
 * @param size the stored (encoded) size in bytes
 * @param createdAt when it was stored (the object's last-modified time)
 * @param key the object key
 */
public record SnapshotInfo(String generation, long index, long size, Instant createdAt, String key) {

}
