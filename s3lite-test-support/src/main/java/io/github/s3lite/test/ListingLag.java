package io.github.s3lite.test;

import java.io.InputStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ThreadLocalRandom;

import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.blobstore.ForwardingBlobStore;
import org.gaul.s3proxy.blobstore.domain.MultipartUpload;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.CompleteMultipartUploadResponse;
import software.amazon.awssdk.services.s3.model.DeleteObjectRequest;
import software.amazon.awssdk.services.s3.model.DeleteObjectResponse;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Request;
import software.amazon.awssdk.services.s3.model.ListObjectsV2Response;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.PutObjectResponse;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * A store whose listings lag its writes, as an eventually consistent S3 API's did: while a lag is set, an
 * object written shows in listings only after a random delay up to the lag, so objects written one
 * after the other can show out of order. A GET or HEAD of the key sees it at once. Objects written while
 * no lag is set show at once. Used by the fault harness's {@code slow_list} step.
 */
final class ListingLag extends ForwardingBlobStore {

	private final ConcurrentMap<String, Long> visibleAt = new ConcurrentHashMap<>();

	private volatile Duration shortest = Duration.ZERO;

	private volatile Duration lag = Duration.ZERO;

	ListingLag(BlobStore delegate) {
		super(delegate);
	}

	/**
	 * Let listings lag the writes made from now on by up to {@code lag}; {@link Duration#ZERO} ends it
	 * for new writes (objects already hidden show when their delay passes).
	 * @param lag the longest delay
	 */
	void set(Duration lag) {
		set(Duration.ZERO, lag);
	}

	/**
	 * Let listings lag the writes made from now on by a random delay between {@code shortest} and
	 * {@code longest}; equal bounds make every delay the same.
	 * @param shortest the shortest delay
	 * @param longest the longest delay
	 */
	synchronized void set(Duration shortest, Duration longest) {
		this.shortest = shortest;
		this.lag = longest;
	}

	@Override
	public PutObjectResponse putBlob(PutObjectRequest request, InputStream input) {
		PutObjectResponse response = super.putBlob(request, input);
		written(request.bucket(), request.key());
		return response;
	}

	@Override
	public CompleteMultipartUploadResponse completeMultipartUpload(MultipartUpload upload,
			CompleteMultipartUploadRequest request) {
		CompleteMultipartUploadResponse response = super.completeMultipartUpload(upload, request);
		written(request.bucket(), request.key());
		return response;
	}

	@Override
	public DeleteObjectResponse removeBlob(DeleteObjectRequest request) {
		this.visibleAt.remove(request.bucket() + "/" + request.key());
		return super.removeBlob(request);
	}

	@Override
	public ListObjectsV2Response list(ListObjectsV2Request request) {
		ListObjectsV2Response response = super.list(request);
		if (this.visibleAt.isEmpty()) {
			return response;
		}
		long now = System.nanoTime();
		List<S3Object> visible = response.contents()
			.stream()
			.filter((object) -> visible(request.bucket() + "/" + object.key(), now))
			.toList();
		if (visible.size() == response.contents().size()) {
			return response;
		}
		return response.toBuilder().contents(visible).keyCount(visible.size() + response.commonPrefixes().size()).build();
	}

	private void written(String bucket, String key) {
		long bound = this.lag.toNanos();
		if (bound <= 0) {
			this.visibleAt.remove(bucket + "/" + key);
			return;
		}
		long least = Math.min(this.shortest.toNanos(), bound);
		this.visibleAt.put(bucket + "/" + key,
				System.nanoTime() + least + ThreadLocalRandom.current().nextLong(bound - least + 1));
	}

	private boolean visible(String name, long now) {
		Long at = this.visibleAt.get(name);
		if (at == null) {
			return true;
		}
		if (now - at >= 0) {
			this.visibleAt.remove(name, at);
			return true;
		}
		return false;
	}

}
