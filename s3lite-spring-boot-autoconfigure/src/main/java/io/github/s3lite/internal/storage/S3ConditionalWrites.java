package io.github.s3lite.internal.storage;

import java.io.IOException;
import java.util.Arrays;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;

/**
 * The conditional requests of an {@link S3ReplicaStore} ({@code If-None-Match}, {@code If-Match}): a
 * refusal (HTTP 412, 404 or 409) is a {@link ConditionalResult}, a provider without conditional writes
 * (HTTP 501) a {@link ConditionalWritesNotSupportedException}, and a retry refused because of its own
 * first attempt counts as done.
 */
final class S3ConditionalWrites {

	private static final Logger logger = LoggerFactory.getLogger(S3ReplicaStore.class);

	private final S3ReplicaStore store;

	private final S3Client client;

	private final String bucket;

	/** The key prefix, empty or ending with a slash. */
	private final String prefix;

	S3ConditionalWrites(S3ReplicaStore store, S3Client client, String bucket, String prefix) {
		this.store = store;
		this.client = client;
		this.bucket = bucket;
		this.prefix = prefix;
	}

	ConditionalResult createIfAbsent(String key, byte[] content) throws IOException {
		ConditionalResult result = conditionalPut(PutObjectRequest.builder().ifNoneMatch("*"), key, content);
		if (result.preconditionHasFailed()) {
			// the SDK retries a request whose answer it lost (a reused connection the server had closed): the
			// retry is then refused by the object its first attempt created. The very same bytes at the key
			// mean this create took effect.
			Optional<VersionedObject> stored = this.store.getVersioned(key);
			if (stored.isPresent() && Arrays.equals(stored.get().content(), content)) {
				return ConditionalResult.written(stored.get().etag());
			}
		}
		return result;
	}

	ConditionalResult replaceIfMatch(String key, byte[] content, String etag) throws IOException {
		// a null ETag would make the SDK leave If-Match out: an unconditional overwrite
		return conditionalPut(PutObjectRequest.builder().ifMatch(requireEtag(etag, key)), key, content);
	}

	ConditionalResult deleteIfMatch(String key, String etag) throws IOException {
		try {
			String match = requireEtag(etag, key);
			this.client.deleteObject((request) -> request.bucket(this.bucket).key(this.prefix + key).ifMatch(match));
			return ConditionalResult.deleted();
		}
		catch (S3Exception ex) {
			ConditionalResult refused = refusedOrThrow("DELETE", key, ex);
			// the SDK retries a request whose answer it lost: a retry refused because its own first attempt
			// deleted the object leaves the key empty, which is what the caller asked for
			return this.store.getVersioned(key).isEmpty() ? ConditionalResult.deleted() : refused;
		}
		catch (SdkException ex) {
			throw this.store.failure("DELETE", key, ex);
		}
	}

	/**
	 * A conditional PUT. The SDK retries a request whose answer it did not get (a read timeout under
	 * load), so a refusal (412) can come from this write's own earlier attempt; callers that must tell
	 * the two apart compare the stored content (the lease does). A refusal answered before the body was
	 * written is a refusal too ({@link EarlyRefusal}).
	 */
	private ConditionalResult conditionalPut(PutObjectRequest.Builder request, String key, byte[] content)
			throws IOException {
		try {
			return ConditionalResult.written(this.store.putObject(request, key, content));
		}
		catch (IOException ex) {
			if (ex.getCause() instanceof S3Exception s3Exception) {
				return refusedOrThrow("PUT", key, s3Exception);
			}
			if (EarlyRefusal.causedBy(ex)) {
				return ConditionalResult.preconditionFailed();
			}
			throw ex;
		}
	}

	private static String requireEtag(String etag, String key) {
		if (etag == null || etag.isBlank()) {
			throw new IllegalArgumentException("A conditional request on " + key + " needs the ETag it must match");
		}
		return etag;
	}

	private ConditionalResult refusedOrThrow(String operation, String key, S3Exception ex) throws IOException {
		int status = ex.statusCode();
		// 412: the ETag did not match; 404: no object to match; 409: a concurrent conditional write won
		if (status == 412 || status == 404 || status == 409) {
			logger.debug("Conditional {} of {} refused with HTTP {}", operation, key, status);
			return ConditionalResult.preconditionFailed();
		}
		if (status == 501) {
			throw new ConditionalWritesNotSupportedException(this.store.location() + " does not support conditional "
					+ operation + " requests (HTTP 501): " + ex.awsErrorDetails().errorMessage(), ex);
		}
		throw this.store.failure(operation, key, ex);
	}

}
