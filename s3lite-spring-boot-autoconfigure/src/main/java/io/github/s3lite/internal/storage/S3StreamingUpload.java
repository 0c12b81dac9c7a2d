package io.github.s3lite.internal.storage;

import java.io.IOException;
import java.io.OutputStream;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.CompletedPart;

/**
 * An object of unknown length written to S3 as a stream: one PUT when it fits in one part, else a
 * multipart upload of parts buffered in memory (so each part can be retried). Nothing becomes visible
 * until {@link #complete()}; {@link #abort()} discards uploaded parts.
 */
final class S3StreamingUpload extends OutputStream {

	private final S3Client client;

	private final String bucket;

	private final String key;

	private final int partSize;

	/** Grows up to the part size as content arrives: most segments are far smaller than a part. */
	private byte[] buffer = new byte[64 * 1024];

	private final List<CompletedPart> parts = new ArrayList<>();

	private int buffered;

	private String uploadId;

	S3StreamingUpload(S3Client client, String bucket, String key, int partSize) {
		this.client = client;
		this.bucket = bucket;
		this.key = key;
		this.partSize = partSize;
	}

	@Override
	public void write(int b) throws IOException {
		write(new byte[] { (byte) b }, 0, 1);
	}

	@Override
	public void write(byte[] bytes, int offset, int length) throws IOException {
		int position = offset;
		int remaining = length;
		while (remaining > 0) {
			if (this.buffered == this.buffer.length) {
				if (this.buffer.length < this.partSize) {
					this.buffer = Arrays.copyOf(this.buffer, Math.min(this.partSize, this.buffer.length * 2));
				}
				else {
					uploadPart();
				}
			}
			int chunk = Math.min(remaining, this.buffer.length - this.buffered);
			System.arraycopy(bytes, position, this.buffer, this.buffered, chunk);
			this.buffered += chunk;
			position += chunk;
			remaining -= chunk;
		}
	}

	private void uploadPart() {
		if (this.uploadId == null) {
			this.uploadId = this.client.createMultipartUpload((request) -> request.bucket(this.bucket).key(this.key))
				.uploadId();
		}
		int partNumber = this.parts.size() + 1;
		String etag = this.client
			.uploadPart((request) -> request.bucket(this.bucket)
				.key(this.key)
				.uploadId(this.uploadId)
				.partNumber(partNumber)
				.contentLength((long) this.buffered), RequestBody.fromBytes(Arrays.copyOf(this.buffer, this.buffered)))
			.eTag();
		this.parts.add(CompletedPart.builder().partNumber(partNumber).eTag(etag).build());
		this.buffered = 0;
	}

	/**
	 * Make the object visible with everything written so far.
	 */
	void complete() {
		if (this.uploadId == null) {
			this.client.putObject((request) -> request.bucket(this.bucket).key(this.key).contentLength((long) this.buffered),
					RequestBody.fromBytes(Arrays.copyOf(this.buffer, this.buffered)));
			return;
		}
		if (this.buffered > 0) {
			uploadPart();
		}
		this.client.completeMultipartUpload((request) -> request.bucket(this.bucket)
			.key(this.key)
			.uploadId(this.uploadId)
			.multipartUpload((upload) -> upload.parts(this.parts)));
	}

	/**
	 * Discard the upload; never throws.
	 */
	void abort() {
		if (this.uploadId == null) {
			return;
		}
		try {
			this.client.abortMultipartUpload(
					(request) -> request.bucket(this.bucket).key(this.key).uploadId(this.uploadId));
		}
		catch (SdkException ex) {
			// the bucket's lifecycle rules clean up what is left
		}
	}

}
