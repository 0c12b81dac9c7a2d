package io.github.s3lite.internal.restore;

import io.github.s3lite.internal.engine.ReplicaFailure;

/**
 * Thrown when the startup restore or the replica check fails. Startup stops; no partial file is
 * left at the database path.
 */
public class RestoreException extends RuntimeException {

	private final ReplicaFailure failure;

	public RestoreException(String message, ReplicaFailure failure) {
		super(message);
		this.failure = failure;
	}

	public RestoreException(String message, ReplicaFailure failure, Throwable cause) {
		super(message, cause);
		this.failure = failure;
	}

	public RestoreException(String message, Throwable cause) {
		this(message, ReplicaFailure.OTHER, cause);
	}

	/**
	 * Return the kind of failure.
	 * @return the failure kind
	 */
	public ReplicaFailure getFailure() {
		return this.failure;
	}

}
