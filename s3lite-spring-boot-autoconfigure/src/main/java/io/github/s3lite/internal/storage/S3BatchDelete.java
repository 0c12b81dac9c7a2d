package io.github.s3lite.internal.storage;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;

import software.amazon.awssdk.core.exception.SdkException;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.Delete;
import software.amazon.awssdk.services.s3.model.DeleteObjectsResponse;
import software.amazon.awssdk.services.s3.model.ObjectIdentifier;

/**
 * The deletes of an {@link S3ReplicaStore}: keys removed in {@code DeleteObjects} requests of at most
 * {@value #DELETE_BATCH} keys each, failing with the first key the bucket did not delete.
 */
final class S3BatchDelete {

	private static final int DELETE_BATCH = 1000;

	private final S3ReplicaStore store;

	private final S3Client client;

	private final String bucket;

	/** The key prefix, empty or ending with a slash. */
	private final String prefix;

	S3BatchDelete(S3ReplicaStore store, S3Client client, String bucket, String prefix) {
		this.store = store;
		this.client = client;
		this.bucket = bucket;
		this.prefix = prefix;
	}

	/**
	 * Delete keys, in batches.
	 * @param keys the keys, relative to the store's prefix
	 */
	void delete(Collection<String> keys) throws IOException {
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
				throw new IOException("Could not delete " + response.errors().size() + " objects from "
						+ this.store.location() + ", first: " + response.errors().get(0).key() + ": "
						+ response.errors().get(0).message());
			}
		}
		catch (SdkException ex) {
			throw this.store.failure("DELETE",
					batch.get(0).key().substring(this.prefix.length()) + " (+" + (batch.size() - 1) + " more)", ex);
		}
	}

}
