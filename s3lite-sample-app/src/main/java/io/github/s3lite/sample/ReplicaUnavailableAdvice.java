package io.github.s3lite.sample;

import org.springframework.dao.DataAccessException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

import io.github.s3lite.lease.NotWriterException;
import io.github.s3lite.replication.NotReplicatedException;

/**
 * Answers 503 with {@code Retry-After} when a write could not be acknowledged: the replica did not
 * store a durable commit ({@link NotReplicatedException}, {@code s3lite.durable-commits=true}) or this
 * instance is not the writer ({@link NotWriterException}, {@code s3lite.lease.enabled=true}).
 * {@code JdbcTemplate} wraps both (e.g. in an {@code UncategorizedSQLException}), so the cause chain is
 * searched; other data access errors keep Spring's default handling. With durable commits, every 201
 * therefore means "in the replica".
 */
@RestControllerAdvice
public class ReplicaUnavailableAdvice {

	/** Seconds a client should wait before retrying. */
	static final String RETRY_AFTER_SECONDS = "5";

	@ExceptionHandler(DataAccessException.class)
	public ResponseEntity<ProblemDetail> dataAccessFailed(DataAccessException ex) throws DataAccessException {
		for (Throwable cause = ex; cause != null; cause = cause.getCause()) {
			if (cause instanceof NotReplicatedException notReplicated) {
				return unavailable(notReplicated.isCommittedLocally()
						? "The write is committed locally but not yet in the replica; it will be shipped when the "
								+ "replica is reachable. Retry later (retrying may store it twice)."
						: "The replica is unreachable, so the write was refused; nothing was written. Retry later.");
			}
			if (cause instanceof NotWriterException) {
				return unavailable("This instance is not the writer; nothing was written. Retry later.");
			}
		}
		throw ex;
	}

	private static ResponseEntity<ProblemDetail> unavailable(String detail) {
		return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
			.header(HttpHeaders.RETRY_AFTER, RETRY_AFTER_SECONDS)
			.body(ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE, detail));
	}

}
