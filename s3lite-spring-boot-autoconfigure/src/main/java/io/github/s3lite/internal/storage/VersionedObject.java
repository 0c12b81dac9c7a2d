package io.github.s3lite.internal.storage;

/**
 * A small object read together with its ETag, for compare-and-swap.
 *
 * @param content the content
 * @param etag the entity tag, opaque, to pass back to the conditional operations
 */
public record VersionedObject(byte[] content, String etag) {

}
