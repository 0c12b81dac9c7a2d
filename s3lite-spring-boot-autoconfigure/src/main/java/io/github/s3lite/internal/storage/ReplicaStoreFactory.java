package io.github.s3lite.internal.storage;

import io.github.s3lite.internal.config.ReplicaUrl;
import io.github.s3lite.internal.config.S3Connection;

/**
 * Opens the {@link ReplicaStore} for a replica URL.
 */
public final class ReplicaStoreFactory {

	private ReplicaStoreFactory() {
	}

	/**
	 * Open a store; the caller closes it.
	 * @param url the replica URL
	 * @param s3 the S3 connection, used for {@code s3://} URLs
	 * @return the store
	 */
	public static ReplicaStore open(ReplicaUrl url, S3Connection s3) {
		if (url.scheme() == ReplicaUrl.Scheme.FILE) {
			return new FileReplicaStore(url.directory());
		}
		return new S3ReplicaStore(S3ClientFactory.create(s3), url.bucket(), url.prefix(),
				S3ReplicaStore.DEFAULT_PART_SIZE, true);
	}

}
