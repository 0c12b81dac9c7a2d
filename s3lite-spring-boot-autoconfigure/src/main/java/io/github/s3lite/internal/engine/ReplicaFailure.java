package io.github.s3lite.internal.engine;

import io.github.s3lite.internal.config.ReplicaUrl;

/**
 * The kinds of replica failure s3lite tells apart, each with its cause and fix.
 */
public enum ReplicaFailure {

	/** The bucket does not exist; s3lite never creates buckets. */
	MISSING_BUCKET,

	/** The S3 API rejected the credentials. */
	BAD_CREDENTIALS,

	/** The endpoint could not be reached, or did not answer in time. */
	UNREACHABLE,

	/** The replica holds data the engine cannot restore. */
	UNRESTORABLE,

	/** Anything else. */
	OTHER;

	/**
	 * Describe this failure for a replica configured by a property.
	 * @param replica the replica
	 * @param property the property naming it
	 * @return the cause and the fix
	 */
	public String describe(ReplicaUrl replica, String property) {
		return switch (this) {
			case MISSING_BUCKET -> "the bucket '" + replica.bucket() + "' does not exist (s3lite never creates "
					+ "buckets). Create it, or point " + property + " at an existing bucket.";
			case BAD_CREDENTIALS -> "the S3 service rejected the credentials for '" + replica.bucket() + "'. Check "
					+ "s3lite.s3.access-key-id and s3lite.s3.secret-access-key (or the AWS default credential chain), "
					+ "and that they may read and write the bucket.";
			case UNREACHABLE -> "the S3 endpoint could not be reached. Check s3lite.s3.endpoint, s3lite.s3.region "
					+ "and the network.";
			case UNRESTORABLE -> "the replica cannot be restored as it is. Restore an earlier generation by hand, "
					+ "or remove the broken generation from the replica.";
			case OTHER -> "the replica could not be read. If " + property + " points at something other than an "
					+ "s3lite replica, point it at another prefix or remove what is there.";
		};
	}

}
