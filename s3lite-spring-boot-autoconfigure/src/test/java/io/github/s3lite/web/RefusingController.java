package io.github.s3lite.web;

import java.sql.SQLException;

import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.jdbc.UncategorizedSQLException;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

import io.github.s3lite.replication.NotWriterException;
import io.github.s3lite.replication.NotReplicatedException;

/**
 * A controller whose writes fail the way {@code JdbcTemplate} reports s3lite's refusals: wrapped in an
 * {@code UncategorizedSQLException}. The messages carry the replica's location, which an answer must
 * not echo.
 */
@RestController
class RefusingController {

	static final String HOLDER = "'web-2' until 2026-09-01T10:00:30Z (generation 4)";

	static final String REPLICA = "s3://private-bucket/notes";

	@PostMapping("/not-writer")
	void notWriter() {
		throw wrapped(new NotWriterException("This instance ('web-1') is not the writer of " + REPLICA
				+ " (it is a follower); the lease is held by " + HOLDER, HOLDER, null));
	}

	@PostMapping("/not-writer-holder-unknown")
	void notWriterHolderUnknown() {
		throw wrapped(new NotWriterException("This instance ('web-1') is not the writer of " + REPLICA, null, null));
	}

	@PostMapping("/committed-locally")
	void committedLocally() {
		throw wrapped(new NotReplicatedException("The transaction is committed locally but not yet in the replica "
				+ REPLICA, true, null));
	}

	@PostMapping("/refused")
	void refused() {
		throw wrapped(new NotReplicatedException("Write refused: the replica " + REPLICA + " is unreachable", false,
				null));
	}

	@PostMapping("/duplicate")
	void duplicate() {
		throw new DataIntegrityViolationException("duplicate key");
	}

	private static UncategorizedSQLException wrapped(SQLException ex) {
		return new UncategorizedSQLException("StatementCallback", "INSERT INTO notes (text) VALUES ('x')", ex);
	}

}
