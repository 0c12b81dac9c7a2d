package io.github.s3lite.internal.lease;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A lease that could not be read at startup (an unreachable store), which left the instance a follower
 * that retries: said once, when startup got past the checks that would still fail it (a missing bucket,
 * rejected credentials), so that no such line precedes a fatal start-up error.
 */
final class UnreadLease {

	private static final Logger logger = LoggerFactory.getLogger(UnreadLease.class);

	private final ReplicaLease lease;

	private volatile boolean happened;

	private volatile String cause;

	UnreadLease(ReplicaLease lease) {
		this.lease = lease;
	}

	void record(Exception ex) {
		this.happened = true;
		this.cause = ex.getMessage() + " (cause: " + rootCause(ex) + ")";
		logger.debug("Could not read {} at startup: {}", this.lease.location(), this.cause);
	}

	boolean happened() {
		return this.happened;
	}

	void report() {
		String unread = this.cause;
		if (unread != null) {
			this.cause = null;
			logger.warn("Starting as a follower of {}: {}; writes are refused (503 in a web app) until the lease can be "
					+ "taken, which is tried every {}", this.lease.location(), unread,
					this.lease.timing().pollInterval());
		}
	}

	private static String rootCause(Throwable ex) {
		Throwable cause = ex;
		while (cause.getCause() != null && cause.getCause() != cause) {
			cause = cause.getCause();
		}
		return cause.toString();
	}

}
