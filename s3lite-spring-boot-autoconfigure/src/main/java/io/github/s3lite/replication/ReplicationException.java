package io.github.s3lite.replication;

/**
 * Thrown when the replica cannot be brought up to date: timeout, replica errors, or replication not
 * running. The local database is never affected by it.
 */
public class ReplicationException extends RuntimeException {

	public ReplicationException(String message) {
		super(message);
	}

	public ReplicationException(String message, Throwable cause) {
		super(message, cause);
	}

}
