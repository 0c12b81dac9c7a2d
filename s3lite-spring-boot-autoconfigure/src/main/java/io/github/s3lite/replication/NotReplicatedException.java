package io.github.s3lite.replication;

import java.sql.SQLTransientException;

/**
 * Thrown by s3lite's {@code DataSource} in durable-commit mode ({@code s3lite.durable-commits=true})
 * when a write cannot be acknowledged as stored in the replica. Two cases, told apart by
 * {@link #isCommittedLocally()}:
 * <ul>
 * <li>the commit succeeded in SQLite but its upload did not succeed within
 * {@code s3lite.durable-commit-timeout}: the transaction <em>is committed locally</em> (it cannot be
 * undone) and is shipped once the replica is reachable again, but a crash before then loses it;</li>
 * <li>the replica is known to be unreachable, so the write was refused before it committed (fail
 * fast): nothing was written.</li>
 * </ul>
 * SQLState {@value #SQL_STATE} (implementation-defined class, so Spring's translators leave it
 * uncategorized rather than treating it as a retryable rollback). Spring's {@code JdbcTemplate} reports
 * it as an {@code UncategorizedSQLException} whose cause is this exception; look for it in the cause
 * chain (e.g. to answer HTTP 503 with {@code Retry-After}).
 */
public class NotReplicatedException extends SQLTransientException {

	/** The SQLState of every instance. */
	public static final String SQL_STATE = "S3L01";

	private static final long serialVersionUID = 1L;

	private final boolean committedLocally;

	/**
	 * Create a new instance.
	 * @param message the message
	 * @param committedLocally whether the transaction is committed in the local database
	 * @param cause the upload failure, or {@code null}
	 */
	public NotReplicatedException(String message, boolean committedLocally, Throwable cause) {
		super(message, SQL_STATE, 0, cause);
		this.committedLocally = committedLocally;
	}

	/**
	 * Return whether the transaction is committed in the local database (and will be shipped once the
	 * replica is reachable) rather than refused before it wrote anything.
	 * @return whether it is committed locally
	 */
	public boolean isCommittedLocally() {
		return this.committedLocally;
	}

}
