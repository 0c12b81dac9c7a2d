package io.github.s3lite.replication;

/**
 * Thrown by {@link Replication#sync(java.time.Duration)} when the local database or its directory no
 * longer exists (deleted under a running application, as a test's temporary directory can be): there is
 * nothing left to bring into the replica, so waiting would only run out the timeout.
 */
public class LocalDatabaseMissingException extends ReplicationException {

	public LocalDatabaseMissingException(String message) {
		super(message);
	}

}
