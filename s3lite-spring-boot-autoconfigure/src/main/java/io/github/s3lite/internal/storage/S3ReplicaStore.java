package io.github.s3lite.internal.storage;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.NoSuchFileException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.ResponseInputStream;
import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * A {@link ReplicaStore} over an S3 bucket and key prefix, through the AWS SDK v2. Objects larger than
 * one part are uploaded in parts (multipart upload), each part held in memory once so that the SDK can
 * retry it. Deletes are batched ({@link S3BatchDelete}),
 * conditional requests checked ({@link S3ConditionalWrites}).
 */
public final class S3ReplicaStore implements ReplicaStore {

	/** Default part size of multipart uploads. */
	public static final int DEFAULT_PART_SIZE = 8 * 1024 * 1024;

	private final S3Client client;

	private final String bucket;

	private final String prefix;

	private final int partSize;

	private final boolean ownsClient;

	private final S3BatchDelete deletes;

	private final S3ConditionalWrites conditional;

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
		this.deletes = new S3BatchDelete(this, client, bucket, this.prefix);
		this.conditional = new S3ConditionalWrites(this, client, bucket, this.prefix);
	}

	@Override
	public String location() {
		return "s3://" + this.bucket + (this.prefix.isEmpty() ? "" : "/" + this.prefix.substring(0, this.prefix.length() - 1));
	}

	@Override
	public List<StoredObject> list(String keyPrefix) throws IOException {
		return list(keyPrefix, "");
	}

	@Override
	public List<StoredObject> list(String keyPrefix, String startAfter) throws IOException {
		try {
			List<StoredObject> objects = new ArrayList<>();
			for (S3Object object : this.client.listObjectsV2Paginator((request) -> {
				request.bucket(this.bucket).prefix(this.prefix + keyPrefix);
				if (!startAfter.isEmpty()) {
					request.startAfter(this.prefix + startAfter);
				}
			}).contents()) {
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
		this.deletes.delete(keys);
	}

	@Override
	public ConditionalResult createIfAbsent(String key, byte[] content) throws IOException {
		return this.conditional.createIfAbsent(key, content);
	}

	@Override
	public ConditionalResult replaceIfMatch(String key, byte[] content, String etag) throws IOException {
		return this.conditional.replaceIfMatch(key, content, etag);
	}

	@Override
	public ConditionalResult deleteIfMatch(String key, String etag) throws IOException {
		return this.conditional.deleteIfMatch(key, etag);
	}

	String putObject(PutObjectRequest.Builder request, String key, byte[] content) throws IOException {
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

	private NoSuchFileException notFound(String key, Exception cause) {
		NoSuchFileException notFound = new NoSuchFileException(location() + "/" + key);
		notFound.initCause(cause);
		return notFound;
	}

	IOException failure(String operation, String key, SdkException ex) {
		return new IOException("S3 " + operation + " " + location() + "/" + key + " failed: " + ex.getMessage(), ex);
	}

	@Override
	public void close() {
		if (this.ownsClient) {
			this.client.close();
		}
	}

}
