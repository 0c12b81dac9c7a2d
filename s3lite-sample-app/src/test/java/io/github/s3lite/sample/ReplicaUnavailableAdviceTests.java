package io.github.s3lite.sample;

import java.sql.SQLException;

import org.junit.jupiter.api.Test;

import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpStatus;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.UncategorizedSQLException;

import io.github.s3lite.lease.NotWriterException;
import io.github.s3lite.replication.NotReplicatedException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The advice answers 503 with {@code Retry-After} for the write refusals JdbcTemplate wraps, and leaves
 * other data access errors alone.
 */
class ReplicaUnavailableAdviceTests {

	private final ReplicaUnavailableAdvice advice = new ReplicaUnavailableAdvice();

	@Test
	void aCommitNotInTheReplicaIsAnswered503WithRetryAfter() {
		ResponseEntity<ProblemDetail> response = this.advice.dataAccessFailed(wrapped(
				new NotReplicatedException("committed locally but not yet in the replica", true, null)));
		assertThat(response.getStatusCode()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
		assertThat(response.getHeaders().getFirst(HttpHeaders.RETRY_AFTER)).isEqualTo("5");
		assertThat(response.getBody().getDetail()).contains("committed locally");
	}

	@Test
	void aWriteRefusedWhileTheReplicaIsUnreachableIsAnswered503WithRetryAfter() {
		ResponseEntity<ProblemDetail> response = this.advice
			.dataAccessFailed(wrapped(new NotReplicatedException("refused", false, null)));
		assertThat(response.getStatusCode()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
		assertThat(response.getBody().getDetail()).contains("nothing was written");
	}

	@Test
	void aWriteOnAnInstanceThatIsNotTheWriterIsAnswered503WithRetryAfter() {
		ResponseEntity<ProblemDetail> response = this.advice
			.dataAccessFailed(wrapped(new NotWriterException("not the writer", null, null)));
		assertThat(response.getStatusCode()).isEqualTo(HttpStatus.SERVICE_UNAVAILABLE);
		assertThat(response.getHeaders().getFirst(HttpHeaders.RETRY_AFTER)).isEqualTo("5");
	}

	@Test
	void otherDataAccessErrorsKeepTheirDefaultHandling() {
		DataIntegrityViolationException other = new DataIntegrityViolationException("duplicate");
		assertThatExceptionOfType(DataIntegrityViolationException.class)
			.isThrownBy(() -> this.advice.dataAccessFailed(other));
	}

	private static UncategorizedSQLException wrapped(SQLException ex) {
		return new UncategorizedSQLException("INSERT", "INSERT INTO notes", ex);
	}

}
