package io.github.s3lite.storage;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.Delete;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Exception;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * A {@link ReplicaStore} over an S3 bucket and key prefix, through the AWS SDK v2. Objects larger than
 * one part are uploaded in parts (multipart upload), each part held in memory once so that the SDK can
 * retry it.
 */
public final class S3ReplicaStore implements ReplicaStore {

	/** Default part size of multipart uploads. */
	public static final int DEFAULT_PART_SIZE = 8 * 1024 * 1024;

	private static final Logger logger = LoggerFactory.getLogger(S3ReplicaStore.class);

	private static final int DELETE_BATCH = 1000;

	private final S3Client client;

	private final String bucket;

	private final String prefix;

	private final int partSize;

	private final boolean ownsClient;

	/**
	 * Create a store.
	 * @param client the client
	 * @param bucket the bucket
	 * @param prefix the key prefix without leading or trailing slash, possibly empty
	 * @param partSize part size of multipart uploads, at least 5 MiB
	 * @param ownsClient whether {@link #close()} closes the client
	 */
	public S3ReplicaStore(S3Client client, String bucket, String prefix, int partSize, boolean ownsClient) {
		if (partSize < 5 * 1024 * 1024) {
			throw new IllegalArgumentException("S3 parts must be at least 5 MiB, not " + partSize);
		}
		this.client = client;
		this.bucket = bucket;
		this.prefix = prefix.isEmpty() ? "" : prefix + "/";
		this.partSize = partSize;
		this.ownsClient = ownsClient;
	}

	@Override
	public String location() {
		return "s3://" + this.bucket + (this.prefix.isEmpty() ? "" : "/" + this.prefix.substring(0, this.prefix.length() - 1));
	}

	@Override
	public List<StoredObject> list(String keyPrefix) throws IOException {
		try {
			List<StoredObject> objects = new ArrayList<>();
			for (S3Object object : this.client
				.listObjectsV2Paginator((request) -> request.bucket(this.bucket).prefix(this.prefix + keyPrefix))
				.contents()) {
				objects.add(new StoredObject(object.key().substring(this.prefix.length()), object.size(),
						object.lastModified()));
			}
			return objects;
		}
		catch (SdkException ex) {
			throw failure("LIST", keyPrefix, ex);
		}
	}

	@Override
	public InputStream get(String key) throws IOException {
		try {
			return this.client.getObject((request) -> request.bucket(this.bucket).key(this.prefix + key));
		}
		catch (NoSuchKeyException ex) {
			throw notFound(key, ex);
		}
		catch (SdkException ex) {
			throw failure("GET", key, ex);
		}
	}

	@Override
	public byte[] getRange(String key, long offset, int length) throws IOException {
		// read straight into an array of the known length: no growing buffer, no defensive copy
		byte[] bytes = new byte[length];
		try (ResponseInputStream<GetObjectResponse> in = this.client.getObject((request) -> request
			.bucket(this.bucket)
			.key(this.prefix + key)
			.range("bytes=" + offset + "-" + (offset + length - 1)))) {
			int read = in.readNBytes(bytes, 0, length);
			if (read != length || in.read() >= 0) {
				in.abort();
				throw new IOException("GET " + key + " bytes " + offset + "+" + length + " did not return exactly "
						+ length + " bytes");
			}
			return bytes;
		}
		catch (NoSuchKeyException ex) {
			throw notFound(key, ex);
		}
		catch (SdkException ex) {
			throw failure("GET", key, ex);
		}
	}

	@Override
	public Optional<VersionedObject> getVersioned(String key) throws IOException {
		try {
			ResponseBytes<GetObjectResponse> bytes = this.client
				.getObjectAsBytes((request) -> request.bucket(this.bucket).key(this.prefix + key));
			return Optional.of(new VersionedObject(bytes.asByteArrayUnsafe(), bytes.response().eTag()));
		}
		catch (NoSuchKeyException ex) {
			return Optional.empty();
		}
		catch (SdkException ex) {
			throw failure("GET", key, ex);
		}
	}

	@Override
	public void put(String key, InputStream content, long length) throws IOException {
		if (length <= this.partSize) {
			byte[] bytes = content.readNBytes((int) length);
			if (bytes.length != length) {
				throw new IOException("Expected " + length + " bytes for " + key + " but the stream had " + bytes.length);
			}
			putObject(PutObjectRequest.builder(), key, bytes);
			return;
		}
		write(key, (out) -> {
			long copied = content.transferTo(out);
			if (copied != length) {
				throw new IOException("Expected " + length + " bytes for " + key + " but the stream had " + copied);
			}
		});
	}

	@Override
	public void write(String key, ObjectContent content) throws IOException {
		S3StreamingUpload upload = new S3StreamingUpload(this.client, this.bucket, this.prefix + key, this.partSize);
		try {
			content.writeTo(upload);
			upload.complete();
		}
		catch (SdkException ex) {
			upload.abort();
			throw failure("PUT", key, ex);
		}
		catch (IOException | RuntimeException | Error ex) {
			upload.abort();
			throw ex;
		}
	}

	@Override
	public void delete(Collection<String> keys) throws IOException {
		List<ObjectIdentifier> batch = new ArrayList<>();
		for (String key : keys) {
			batch.add(ObjectIdentifier.builder().key(this.prefix + key).build());
			if (batch.size() == DELETE_BATCH) {
				deleteBatch(batch);
				batch.clear();
			}
		}
		if (!batch.isEmpty()) {
			deleteBatch(batch);
		}
	}

	private void deleteBatch(List<ObjectIdentifier> batch) throws IOException {
		try {
			DeleteObjectsResponse response = this.client.deleteObjects((request) -> request.bucket(this.bucket)
				.delete(Delete.builder().objects(batch).quiet(true).build()));
			if (response.hasErrors() && !response.errors().isEmpty()) {
				throw new IOException("Could not delete " + response.errors().size() + " objects from " + location()
						+ ", first: " + response.errors().get(0).key() + ": " + response.errors().get(0).message());
			}
		}
		catch (SdkException ex) {
			throw failure("DELETE", batch.get(0).key().substring(this.prefix.length()) + " (+" + (batch.size() - 1)
					+ " more)", ex);
		}
	}

	@Override
	public ConditionalResult createIfAbsent(String key, byte[] content) throws IOException {
		ConditionalResult result = conditionalPut(PutObjectRequest.builder().ifNoneMatch("*"), key, content);
		if (result.preconditionHasFailed()) {
			// the SDK retries a request whose answer it lost (a reused connection the server had closed): the
			// retry is then refused by the object its first attempt created. The very same bytes at the key
			// mean this create took effect.
			Optional<VersionedObject> stored = getVersioned(key);
			if (stored.isPresent() && java.util.Arrays.equals(stored.get().content(), content)) {
				return ConditionalResult.written(stored.get().etag());
			}
		}
		return result;
	}

	@Override
	public ConditionalResult replaceIfMatch(String key, byte[] content, String etag) throws IOException {
		// a null ETag would make the SDK leave If-Match out: an unconditional overwrite
		return conditionalPut(PutObjectRequest.builder().ifMatch(requireEtag(etag, key)), key, content);
	}

	@Override
	public ConditionalResult deleteIfMatch(String key, String etag) throws IOException {
		try {
			String match = requireEtag(etag, key);
			this.client.deleteObject((request) -> request.bucket(this.bucket).key(this.prefix + key).ifMatch(match));
			return ConditionalResult.deleted();
		}
		catch (S3Exception ex) {
			ConditionalResult refused = refusedOrThrow("DELETE", key, ex);
			// the SDK retries a request whose answer it lost: a retry refused because its own first attempt
			// deleted the object leaves the key empty, which is what the caller asked for
			return getVersioned(key).isEmpty() ? ConditionalResult.deleted() : refused;
		}
		catch (SdkException ex) {
			throw failure("DELETE", key, ex);
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
			return ConditionalResult.written(putObject(request, key, content));
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

	private String putObject(PutObjectRequest.Builder request, String key, byte[] content) throws IOException {
		try {
			return this.client
				.putObject(request.bucket(this.bucket).key(this.prefix + key).contentLength((long) content.length).build(),
						RequestBody.fromBytes(content))
				.eTag();
		}
		catch (SdkException ex) {
			throw failure("PUT", key, ex);
		}
	}

	private ConditionalResult refusedOrThrow(String operation, String key, S3Exception ex) throws IOException {
		int status = ex.statusCode();
		// 412: the ETag did not match; 404: no object to match; 409: a concurrent conditional write won
		if (status == 412 || status == 404 || status == 409) {
			logger.debug("Conditional {} of {} refused with HTTP {}", operation, key, status);
			return ConditionalResult.preconditionFailed();
		}
		if (status == 501) {
			throw new ConditionalWritesNotSupportedException(location() + " does not support conditional "
					+ operation + " requests (HTTP 501): " + ex.awsErrorDetails().errorMessage(), ex);
		}
		throw failure(operation, key, ex);
	}

	private NoSuchFileException notFound(String key, Exception cause) {
		NoSuchFileException notFound = new NoSuchFileException(location() + "/" + key);
		notFound.initCause(cause);
		return notFound;
	}

	private IOException failure(String operation, String key, SdkException ex) {
		return new IOException("S3 " + operation + " " + location() + "/" + key + " failed: " + ex.getMessage(), ex);
	}

	@Override
	public void close() {
		if (this.ownsClient) {
			this.client.close();
		}
	}

}
