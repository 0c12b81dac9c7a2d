package io.github.s3lite.autoconfigure.diagnostics;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

import io.github.s3lite.internal.restore.DatabaseDirectoryException;
import io.github.s3lite.internal.restore.RestoreException;

/**
 * Reports a replica that cannot be used at startup (missing bucket, rejected credentials, unreachable
 * endpoint, unrestorable replica), with the fix for each kind of failure.
 */
class RestoreFailureAnalyzer extends AbstractFailureAnalyzer<RestoreException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, RestoreException cause) {
		if (cause instanceof DatabaseDirectoryException) {
			return null;
		}
		String description = String.format("s3lite could not use its replica at startup.%n%n    Reason: %s",
				cause.getMessage());
		return new FailureAnalysis(description, action(cause), cause);
	}

	private static String action(RestoreException cause) {
		return switch (cause.getFailure()) {
			case MISSING_BUCKET -> "Create the bucket (s3lite never creates buckets), or point "
					+ "s3lite.restore-from and s3lite.backup-to at an existing bucket.";
			case BAD_CREDENTIALS -> "Check s3lite.s3.access-key-id and s3lite.s3.secret-access-key (or, when they are "
					+ "unset, the AWS default credential chain: environment, profile, instance role), and that the "
					+ "key may list, read and write the bucket.";
			case UNREACHABLE -> "Check s3lite.s3.endpoint (scheme, host and port), s3lite.s3.region and that the "
					+ "S3 service is reachable from this host. A restore that needs more time can be given it with "
					+ "s3lite.restore-timeout.";
			case UNRESTORABLE -> "Restore an earlier generation by hand, or remove the broken generation from the "
					+ "replica.";
			case OTHER -> "Check the reason above, s3lite.restore-from and s3lite.s3.*.";
		};
	}

}
