package io.github.s3lite.replication;

import java.sql.SQLTransientConnectionException;

/**
 * No connection now: the local database is being replaced with the newest state of its replica (a
 * follower becoming the writer catches up). Transient: it takes about one restore; retry shortly. In a
 * web application it is answered {@code 503} with {@code Retry-After}.
 */
public final class DatabaseReplacedException extends SQLTransientConnectionException {

	private static final long serialVersionUID = 1L;

	/**
	 * Create the exception.
	 * @param message the message, naming the database
	 */
	public DatabaseReplacedException(String message) {
		super(message, "08001");
	}

}
