package io.github.s3lite.internal.storage;

import java.time.Instant;

/**
 * An object in a {@link ReplicaStore}, as listed.
 *
 * @param key the key relative to the store's root, with {@code /} separators
 * @param size the size in bytes
 * @param lastModified when the object was last written
 */
public record StoredObject(String key, long size, Instant lastModified) {

}
