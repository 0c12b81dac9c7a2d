package io.github.s3lite.internal.engine;

/**
 * Thrown by a {@link ReplicationEngine} when a replica cannot be read or used; the message names the
 * cause and the fix. The local database is never affected by it.
 */
public class ReplicaAccessException extends RuntimeException {

	private final ReplicaFailure failure;

	/**
	 * Create an exception.
	 * @param message the cause and the fix
	 * @param failure the kind of failure
	 */
	public ReplicaAccessException(String message, ReplicaFailure failure) {
		super(message);
		this.failure = failure;
	}

	/**
	 * Create an exception.
	 * @param message the cause and the fix
	 * @param failure the kind of failure
	 * @param cause the cause
	 */
	public ReplicaAccessException(String message, ReplicaFailure failure, Throwable cause) {
		super(message, cause);
		this.failure = failure;
	}

	/**
	 * Return the kind of failure.
	 * @return the kind
	 */
	public ReplicaFailure getFailure() {
		return this.failure;
	}

}
