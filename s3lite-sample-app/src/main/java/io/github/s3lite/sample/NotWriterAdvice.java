package io.github.s3lite.sample;

import java.sql.SQLException;

import org.springframework.dao.DataAccessException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.transaction.TransactionException;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

import io.github.s3lite.lease.NotWriterException;

/**
 * Answers a write refused because this instance is not the writer (a follower, or the old writer
 * during a hand-over) with {@code 503 Service Unavailable} and {@code Retry-After: 1}: the client (or
 * the load balancer) retries, and reaches the writer. {@code JdbcTemplate} wraps the
 * {@link NotWriterException} (as an {@code UncategorizedSQLException}), so the cause chain is searched.
 */
@RestControllerAdvice
class NotWriterAdvice {

	@ExceptionHandler({ DataAccessException.class, TransactionException.class })
	ResponseEntity<ProblemDetail> notWriter(RuntimeException ex) {
		NotWriterException notWriter = find(ex);
		if (notWriter == null) {
			throw ex;
		}
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE,
				"This instance does not accept writes right now; retry shortly.");
		problem.setProperty("holder", notWriter.getHolder());
		return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE).header(HttpHeaders.RETRY_AFTER, "1").body(problem);
	}

	private static NotWriterException find(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause instanceof NotWriterException notWriter) {
				return notWriter;
			}
			if (cause instanceof SQLException sql && sql.getNextException() instanceof NotWriterException next) {
				return next;
			}
		}
		return null;
	}

}
