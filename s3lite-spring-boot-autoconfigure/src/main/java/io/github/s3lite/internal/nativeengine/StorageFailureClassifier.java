package io.github.s3lite.internal.nativeengine;

import java.util.Locale;
import java.util.Set;

import software.amazon.awssdk.core.exception.SdkClientException;
import software.amazon.awssdk.services.s3.model.S3Exception;

import io.github.s3lite.internal.engine.ReplicaFailure;
import io.github.s3lite.internal.nativeengine.format.InvalidReplicaException;

/**
 * Tells apart the {@link ReplicaFailure} behind a storage error by walking its causes: the S3 error
 * code or status, a client-side (network) failure, or a replica the format cannot restore.
 */
final class StorageFailureClassifier {

	private static final Set<String> CREDENTIAL_CODES = Set.of("invalidaccesskeyid", "signaturedoesnotmatch",
			"accessdenied", "invalidtoken", "expiredtoken", "forbidden");

	private StorageFailureClassifier() {
	}

	/**
	 * Classify a failure.
	 * @param failure the failure
	 * @return its kind
	 */
	static ReplicaFailure classify(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause instanceof InvalidReplicaException) {
				return ReplicaFailure.UNRESTORABLE;
			}
			if (cause instanceof S3Exception s3) {
				String code = (s3.awsErrorDetails() != null && s3.awsErrorDetails().errorCode() != null)
						? s3.awsErrorDetails().errorCode().toLowerCase(Locale.ROOT) : "";
				if (code.equals("nosuchbucket")) {
					return ReplicaFailure.MISSING_BUCKET;
				}
				if (CREDENTIAL_CODES.contains(code) || s3.statusCode() == 403) {
					return ReplicaFailure.BAD_CREDENTIALS;
				}
				return ReplicaFailure.OTHER;
			}
			if (cause instanceof SdkClientException || cause instanceof java.net.ConnectException
					|| cause instanceof java.net.SocketTimeoutException
					|| cause instanceof java.util.concurrent.TimeoutException) {
				return ReplicaFailure.UNREACHABLE;
			}
		}
		return ReplicaFailure.OTHER;
	}

}
