package io.github.s3lite.replication;

/**
 * Thrown when the replica did not catch up within the timeout of a sync, without a replica error.
 */
public class ReplicationTimeoutException extends ReplicationException {

	public ReplicationTimeoutException(String message) {
		super(message);
	}

}
