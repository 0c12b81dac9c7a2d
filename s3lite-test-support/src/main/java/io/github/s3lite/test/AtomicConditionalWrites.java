package io.github.s3lite.test;

import java.io.InputStream;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;

import org.gaul.s3proxy.S3ErrorCode;
import org.gaul.s3proxy.S3ProxyException;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.blobstore.ForwardingBlobStore;
import software.amazon.awssdk.services.s3.model.DeleteObjectRequest;
import software.amazon.awssdk.services.s3.model.DeleteObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;

/**
 * Makes S3Proxy's conditional writes atomic, as S3's are. S3Proxy 4.1.0 emulates {@code If-Match} on its
 * in-memory store with a HEAD and then a PUT: two PUTs conditional on the same ETag, arriving together,
 * could both pass the HEAD and both be written (seen in the fault harness: two instances took the same
 * expired lease, seed 50). Here every write of a key runs under that key's lock, and its conditions are
 * evaluated again under it, just before the write.
 */
final class AtomicConditionalWrites extends ForwardingBlobStore {

	private final ConcurrentMap<String, Object> locks = new ConcurrentHashMap<>();

	AtomicConditionalWrites(BlobStore delegate) {
		super(delegate);
	}

	@Override
	public PutObjectResponse putBlob(PutObjectRequest request, InputStream input) {
		synchronized (lock(request.bucket(), request.key())) {
			check(request.bucket(), request.key(), request.ifMatch(), request.ifNoneMatch());
			return super.putBlob(request, input);
		}
	}

	@Override
	public DeleteObjectResponse removeBlob(DeleteObjectRequest request) {
		synchronized (lock(request.bucket(), request.key())) {
			check(request.bucket(), request.key(), request.ifMatch(), null);
			return super.removeBlob(request);
		}
	}

	private Object lock(String bucket, String key) {
		return this.locks.computeIfAbsent(bucket + "/" + key, (name) -> new Object());
	}

	private void check(String bucket, String key, String ifMatch, String ifNoneMatch) {
		if (ifMatch == null && ifNoneMatch == null) {
			return;
		}
		HeadObjectResponse current = delegate().blobMetadataIfPresent(bucket, key);
		if (ifMatch != null && current == null) {
			throw new S3ProxyException(S3ErrorCode.NO_SUCH_KEY);
		}
		if (ifMatch != null && !"*".equals(ifMatch) && !unquoted(ifMatch).equals(unquoted(current.eTag()))) {
			throw new S3ProxyException(S3ErrorCode.PRECONDITION_FAILED);
		}
		if (ifNoneMatch != null && current != null
				&& ("*".equals(ifNoneMatch) || unquoted(ifNoneMatch).equals(unquoted(current.eTag())))) {
			throw new S3ProxyException(S3ErrorCode.PRECONDITION_FAILED);
		}
	}

	private static String unquoted(String etag) {
		return (etag != null && etag.length() >= 2 && etag.startsWith("\"") && etag.endsWith("\""))
				? etag.substring(1, etag.length() - 1) : String.valueOf(etag);
	}

}
