package io.github.s3lite.replication;

import java.sql.SQLTransientException;

/**
 * Thrown by s3lite's {@code DataSource} when a write is attempted on an instance that is not the
 * writer of its replica (its lease was lost, could not be renewed in time, or was released): at the
 * commit of a read-write transaction that was open when the instance was fenced, at the first write of
 * a later transaction, and at any auto-commit write. Reads keep working. The message names the current
 * holder when it is known.
 * <p>
 * SQLState {@value #SQL_STATE} (SQL standard: "read-only SQL-transaction"). It is an
 * {@link SQLTransientException}: the write may succeed on the instance that holds the lease. Spring's
 * {@code JdbcTemplate} reports it as an {@code UncategorizedSQLException} whose cause is this
 * exception; look for it in the cause chain (e.g. to answer HTTP 503).
 */
public class NotWriterException extends SQLTransientException {

	/** The SQLState of every instance. */
	public static final String SQL_STATE = "25006";

	private static final long serialVersionUID = 1L;

	private final String holder;

	/**
	 * Create a new instance.
	 * @param message the message, naming the holder
	 * @param holder the current holder as {@code 'owner' until <expiry>}, or {@code null} when unknown
	 * @param cause the error SQLite reported, or {@code null}
	 */
	public NotWriterException(String message, String holder, Throwable cause) {
		super(message, SQL_STATE, 0, cause);
		this.holder = holder;
	}

	/**
	 * Return the current holder of the lease, when known.
	 * @return e.g. {@code 'web-2' until 2026-09-01T10:00:30Z (generation 4)}, or {@code null}
	 */
	public String getHolder() {
		return this.holder;
	}

}
