package io.github.s3lite.litestream;

import java.util.List;
import java.util.Locale;

import io.github.s3lite.config.ReplicaUrl;

/**
 * Turns the output of a failed litestream command into a sentence that names the cause and the fix.
 */
public enum ReplicaFailure {

	/** The bucket does not exist; litestream never creates buckets. */
	MISSING_BUCKET(List.of("nosuchbucket", "specified bucket does not exist")),

	/** The S3 API rejected the credentials. */
	BAD_CREDENTIALS(List.of("invalidaccesskeyid", "signaturedoesnotmatch", "accessdenied", "status code: 403",
			"nocredentialproviders", "forbidden", "invalidtoken", "expiredtoken")),

	/** The endpoint could not be reached. */
	UNREACHABLE(List.of("connection refused", "no such host", "i/o timeout", "dial tcp", "send request failed",
			"connection reset", "eof", "timeout", "tls: ")),

	/** litestream v0.3.13's known panic on a replica whose snapshot is newer than its WAL. */
	SNAPSHOT_AHEAD_OF_WAL(List.of("panic:", "index out of range")),

	/** Anything else. */
	OTHER(List.of());

	private final List<String> markers;

	ReplicaFailure(List<String> markers) {
		this.markers = markers;
	}

	/**
	 * Classify litestream's output.
	 * @param output the output
	 * @return the failure kind
	 */
	public static ReplicaFailure classify(String output) {
		String text = output.toLowerCase(Locale.ROOT);
		for (ReplicaFailure failure : values()) {
			if (failure.markers.stream().anyMatch(text::contains)) {
				return failure;
			}
		}
		return OTHER;
	}

	/**
	 * Describe this failure for a replica configured by a property.
	 * @param replica the replica
	 * @param property the property naming it
	 * @return the cause and the fix
	 */
	public String describe(ReplicaUrl replica, String property) {
		return switch (this) {
			case MISSING_BUCKET -> "the bucket '" + replica.bucket() + "' does not exist (litestream never creates "
					+ "buckets). Create it, or point " + property + " at an existing bucket.";
			case BAD_CREDENTIALS -> "the S3 service rejected the credentials for '" + replica.bucket() + "'. Check "
					+ "s3lite.s3.access-key-id and s3lite.s3.secret-access-key (or the AWS default credential chain), "
					+ "and that they may read and write the bucket.";
			case UNREACHABLE -> "the S3 endpoint could not be reached. Check s3lite.s3.endpoint, s3lite.s3.region "
					+ "and the network.";
			case SNAPSHOT_AHEAD_OF_WAL -> "litestream v0.3.13 cannot restore this replica (its newest snapshot is "
					+ "ahead of its WAL files, a known litestream bug). Restore an earlier generation by hand with "
					+ "'litestream restore -generation', or remove the broken generation from the replica.";
			case OTHER -> "litestream could not read the replica; its output follows. If " + property + " points at "
					+ "something other than a litestream replica, point it at another prefix or remove what is there.";
		};
	}

}
