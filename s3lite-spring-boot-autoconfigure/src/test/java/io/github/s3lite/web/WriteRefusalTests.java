package io.github.s3lite.web;

import java.sql.BatchUpdateException;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.time.Duration;

import org.junit.jupiter.api.Test;

import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.CannotGetJdbcConnectionException;
import org.springframework.jdbc.UncategorizedSQLException;
import org.springframework.transaction.TransactionSystemException;

import io.github.s3lite.replication.DatabaseReplacedException;
import io.github.s3lite.replication.NotWriterException;
import io.github.s3lite.replication.NotReplicatedException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link WriteRefusal} finds s3lite's refusals wherever Spring's exception translation put them, and
 * nothing else.
 */
class WriteRefusalTests {

	@Test
	void findsANotWriterExceptionWrappedByTransactionManagement() {
		WriteRefusal refusal = WriteRefusal.find(new TransactionSystemException("Could not commit",
				new NotWriterException("not the writer", "'web-2' until 2026-09-01T10:00:30Z (generation 4)", null)));
		assertThat(refusal).isNotNull();
		assertThat(refusal.retryAfter()).isEqualTo(Duration.ofSeconds(1));
		assertThat(refusal.problem().getStatus()).isEqualTo(503);
		assertThat(refusal.problem().getProperties()).containsEntry("holder",
				"'web-2' until 2026-09-01T10:00:30Z (generation 4)");
	}

	@Test
	void findsARefusalReportedAsTheNextExceptionOfABatch() {
		BatchUpdateException batch = new BatchUpdateException("batch failed", new int[0]);
		batch.setNextException(new NotReplicatedException("refused", false, null));
		WriteRefusal refusal = WriteRefusal.find(new UncategorizedSQLException("batch", "INSERT", batch));
		assertThat(refusal).isNotNull();
		assertThat(refusal.retryAfter()).isEqualTo(Duration.ofSeconds(5));
		assertThat(refusal.problem().getProperties()).containsEntry("committedLocally", false);
	}

	@Test
	void findsADatabaseBeingReplacedBehindThePoolsFailureToConnect() {
		SQLTransientConnectionException pool = new SQLTransientConnectionException(
				"s3lite - Connection is not available", "08001",
				new DatabaseReplacedException("The database /data/app.db is being replaced"));
		WriteRefusal refusal = WriteRefusal.find(new CannotGetJdbcConnectionException("Failed to obtain", pool));
		assertThat(refusal).isNotNull();
		assertThat(refusal.retryAfter()).isEqualTo(Duration.ofSeconds(1));
		assertThat(refusal.problem().getProperties()).containsEntry("reason", "catching-up");
		assertThat(refusal.problem().getDetail()).doesNotContain("/data/app.db");
	}

	@Test
	void findsNothingInOtherFailures() {
		assertThat(WriteRefusal.find(new DataIntegrityViolationException("duplicate"))).isNull();
		assertThat(WriteRefusal.find(new UncategorizedSQLException("INSERT", "INSERT", new SQLException("busy"))))
			.isNull();
		assertThat(WriteRefusal.find(null)).isNull();
	}

	@Test
	void answers503WithRetryAfterInWholeSeconds() {
		WriteRefusal refusal = WriteRefusal.find(new NotReplicatedException("committed locally", true, null));
		assertThat(refusal.toResponseEntity().getStatusCode().value()).isEqualTo(503);
		assertThat(refusal.toResponseEntity().getHeaders().getFirst("Retry-After")).isEqualTo("5");
		assertThat(refusal.toResponseEntity().getBody()).isSameAs(refusal.problem());
	}

}
