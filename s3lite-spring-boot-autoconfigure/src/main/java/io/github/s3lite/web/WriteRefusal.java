package io.github.s3lite.web;

import java.sql.SQLException;
import java.time.Duration;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Set;

import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;

import io.github.s3lite.replication.DatabaseReplacedException;
import io.github.s3lite.replication.NotWriterException;
import io.github.s3lite.replication.NotReplicatedException;

/**
 * A write s3lite refused, as an HTTP answer: {@code 503 Service Unavailable}, {@code Retry-After} and an
 * RFC 9457 problem body ({@code application/problem+json}) that says what happened and never carries
 * a stack trace or the replica's location.
 * <ul>
 * <li>{@link NotWriterException} (this instance is a follower, hands over, or was fenced): retry after
 * {@value #NOT_WRITER_RETRY_SECONDS} s, when a hand-over has usually ended; the body's {@code holder}
 * names the instance that holds the lease, when known;</li>
 * <li>{@link NotReplicatedException} (a durable commit the replica did not store, or a write refused
 * while the replica is unreachable): retry after {@value #NOT_REPLICATED_RETRY_SECONDS} s; the body's
 * {@code committedLocally} tells whether the transaction is committed locally (and shipped later) or
 * nothing was written;</li>
 * <li>{@link DatabaseReplacedException} (no connection while a follower that became the writer replaces
 * its local database, reads included): retry after {@value #NOT_WRITER_RETRY_SECONDS} s.</li>
 * </ul>
 * Spring's exception translation wraps both (e.g. in an {@code UncategorizedSQLException}), so
 * {@link #find(Throwable)} searches the cause chain. Usable from an application's own exception
 * handler.
 */
public final class WriteRefusal {

	/** Seconds a client should wait before retrying a write this instance refused as not the writer. */
	public static final long NOT_WRITER_RETRY_SECONDS = 1;

	/** Seconds a client should wait before retrying a write the replica did not acknowledge. */
	public static final long NOT_REPLICATED_RETRY_SECONDS = 5;

	private final ProblemDetail problem;

	private final Duration retryAfter;

	private WriteRefusal(ProblemDetail problem, Duration retryAfter) {
		this.problem = problem;
		this.retryAfter = retryAfter;
	}

	/**
	 * Find the refusal in a failure's cause chain (including the next exceptions of an
	 * {@link SQLException}).
	 * @param failure the failure, e.g. a {@code DataAccessException}
	 * @return the refusal, or {@code null} when the failure is not a write s3lite refused
	 */
	public static WriteRefusal find(Throwable failure) {
		Set<Throwable> seen = Collections.newSetFromMap(new IdentityHashMap<>());
		for (Throwable cause = failure; cause != null && seen.add(cause); cause = cause.getCause()) {
			WriteRefusal refusal = of(cause);
			if (refusal == null && cause instanceof SQLException sql) {
				for (SQLException next = sql.getNextException(); next != null && refusal == null
						&& seen.add(next); next = next.getNextException()) {
					refusal = of(next);
				}
			}
			if (refusal != null) {
				return refusal;
			}
		}
		return null;
	}

	private static WriteRefusal of(Throwable cause) {
		if (cause instanceof NotWriterException notWriter) {
			return notWriter(notWriter);
		}
		if (cause instanceof NotReplicatedException notReplicated) {
			return notReplicated(notReplicated);
		}
		if (cause instanceof DatabaseReplacedException) {
			return catchingUp();
		}
		return null;
	}

	private static WriteRefusal catchingUp() {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE,
				"This instance is becoming the writer and replaces its local database with the newest state of the "
						+ "replica; nothing was read or written. Retry shortly.");
		problem.setTitle("Database being replaced");
		problem.setProperty("reason", "catching-up");
		return new WriteRefusal(problem, Duration.ofSeconds(NOT_WRITER_RETRY_SECONDS));
	}

	private static WriteRefusal notWriter(NotWriterException ex) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE,
				"This instance does not accept writes right now: it is not the writer of its database (a follower, "
						+ "an instance handing the lease over, or one that lost it). Nothing was written; retry shortly.");
		problem.setTitle("Write refused: not the writer");
		problem.setProperty("reason", "not-writer");
		if (ex.getHolder() != null) {
			problem.setProperty("holder", ex.getHolder());
		}
		return new WriteRefusal(problem, Duration.ofSeconds(NOT_WRITER_RETRY_SECONDS));
	}

	private static WriteRefusal notReplicated(NotReplicatedException ex) {
		ProblemDetail problem = ProblemDetail.forStatusAndDetail(HttpStatus.SERVICE_UNAVAILABLE,
				ex.isCommittedLocally()
						? "The write is committed locally but not yet in the replica; it will be shipped when the "
								+ "replica is reachable. Retry later (retrying may store it twice)."
						: "The replica is unreachable, so the write was refused; nothing was written. Retry later.");
		problem.setTitle("Write not replicated");
		problem.setProperty("reason", "not-replicated");
		problem.setProperty("committedLocally", ex.isCommittedLocally());
		return new WriteRefusal(problem, Duration.ofSeconds(NOT_REPLICATED_RETRY_SECONDS));
	}

	/**
	 * Return the problem body.
	 * @return the body, status 503
	 */
	public ProblemDetail problem() {
		return this.problem;
	}

	/**
	 * Return how long a client should wait before it retries.
	 * @return the delay, in whole seconds
	 */
	public Duration retryAfter() {
		return this.retryAfter;
	}

	/**
	 * Return the answer: 503, {@code Retry-After} and the problem body.
	 * @return the response
	 */
	public ResponseEntity<ProblemDetail> toResponseEntity() {
		return ResponseEntity.status(HttpStatus.SERVICE_UNAVAILABLE)
			.header(HttpHeaders.RETRY_AFTER, Long.toString(this.retryAfter.toSeconds()))
			.body(this.problem);
	}

}
