package io.github.s3lite.internal.storage;

import java.io.ByteArrayInputStream;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * The objects under one replica location: an S3 bucket and key prefix, or a directory. Keys are
 * relative to that root and use {@code /} separators. Implementations are thread-safe.
 */
public interface ReplicaStore extends Closeable {

	/**
	 * Return the location, for messages; never holds credentials.
	 * @return e.g. {@code s3://bucket/prefix} or {@code file:/dir}
	 */
	String location();

	/**
	 * List every object whose key starts with a prefix, in key order.
	 * @param prefix the key prefix, e.g. {@code generations/}; empty for all
	 * @return the objects
	 * @throws IOException on a storage error
	 */
	List<StoredObject> list(String prefix) throws IOException;

	/**
	 * List the objects whose key starts with a prefix and sorts after a key, in key order: on S3 a
	 * {@code ListObjectsV2} with {@code start-after}, so that asking what is new after a known key costs one
	 * request however many objects come before it.
	 * @param prefix the key prefix, e.g. {@code generations/}; empty for all
	 * @param startAfter only keys greater than this one (compared as UTF-8 bytes, as S3 does) are listed; empty
	 * for all
	 * @return the objects
	 * @throws IOException on a storage error
	 */
	List<StoredObject> list(String prefix, String startAfter) throws IOException;

	/**
	 * Open an object for reading. The caller closes the stream.
	 * @param key the key
	 * @return the content, streamed
	 * @throws java.nio.file.NoSuchFileException if there is no such object
	 * @throws IOException on a storage error
	 */
	InputStream get(String key) throws IOException;

	/**
	 * Read a range of an object's bytes at once (an S3 ranged GET), so that the parts of a large object
	 * can be fetched in parallel.
	 * @param key the key
	 * @param offset the first byte
	 * @param length how many bytes; the object must hold them
	 * @return the bytes
	 * @throws java.nio.file.NoSuchFileException if there is no such object
	 * @throws IOException on a storage error, or when the object is shorter
	 */
	default byte[] getRange(String key, long offset, int length) throws IOException {
		try (InputStream in = get(key)) {
			in.skipNBytes(offset);
			return in.readNBytes(length);
		}
	}

	/**
	 * Read a small object with its ETag.
	 * @param key the key
	 * @return the content and ETag, or empty when there is no such object
	 * @throws IOException on a storage error
	 */
	Optional<VersionedObject> getVersioned(String key) throws IOException;

	/**
	 * Store an object of known length, replacing any object of that key. Large objects go to S3 in
	 * parts.
	 * @param key the key
	 * @param content the content, read to its end but not closed
	 * @param length the number of bytes {@code content} yields
	 * @throws IOException on a storage error
	 */
	void put(String key, InputStream content, long length) throws IOException;

	/**
	 * Store an object.
	 * @param key the key
	 * @param content the content
	 * @throws IOException on a storage error
	 */
	default void put(String key, byte[] content) throws IOException {
		put(key, new ByteArrayInputStream(content), content.length);
	}

	/**
	 * Store an object of unknown length, streamed; nothing is stored if {@code content} fails.
	 * @param key the key
	 * @param content writes the content
	 * @throws IOException on a storage error or if {@code content} fails
	 */
	void write(String key, ObjectContent content) throws IOException;

	/**
	 * Delete objects; keys that do not exist are ignored.
	 * @param keys the keys
	 * @throws IOException on a storage error
	 */
	void delete(Collection<String> keys) throws IOException;

	/**
	 * Create an object only if no object has that key ({@code If-None-Match: *}).
	 * @param key the key
	 * @param content the content
	 * @return written with the new ETag, or precondition failed when the key exists
	 * @throws ConditionalWritesNotSupportedException if the store refuses conditional writes
	 * @throws IOException on a storage error
	 */
	ConditionalResult createIfAbsent(String key, byte[] content) throws IOException;

	/**
	 * Replace an object only if its ETag still matches ({@code If-Match}).
	 * @param key the key
	 * @param content the new content
	 * @param etag the ETag the object must have
	 * @return written with the new ETag, or precondition failed when the object changed or is gone. On S3
	 * a refusal can also be this write's own retry (the client retries a request whose answer it lost,
	 * and the object its first attempt wrote refuses the retry): callers that must tell the two apart
	 * compare the stored content, as the lease does
	 * @throws ConditionalWritesNotSupportedException if the store refuses conditional writes
	 * @throws IOException on a storage error
	 */
	ConditionalResult replaceIfMatch(String key, byte[] content, String etag) throws IOException;

	/**
	 * Delete an object only if its ETag still matches ({@code If-Match}). Deleting an object that is
	 * already gone may report either outcome (S3 deletes are idempotent; S3Proxy answers 204).
	 * @param key the key
	 * @param etag the ETag the object must have
	 * @return deleted, or precondition failed when the object changed or is gone
	 * @throws ConditionalWritesNotSupportedException if the store refuses conditional deletes
	 * @throws IOException on a storage error
	 */
	ConditionalResult deleteIfMatch(String key, String etag) throws IOException;

}
