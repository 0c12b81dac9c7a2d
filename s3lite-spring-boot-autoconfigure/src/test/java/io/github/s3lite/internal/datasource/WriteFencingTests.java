package io.github.s3lite.internal.datasource;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.dao.DataAccessException;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import io.github.s3lite.config.Synchronous;
import io.github.s3lite.config.TxLock;
import io.github.s3lite.replication.NotWriterException;
import io.github.s3lite.replication.Replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import io.github.s3lite.datasource.ReplicatingDataSource;

/**
 * Fencing at the JDBC layer, with real SQLite through s3lite's pool and a gate the test flips.
 */
class WriteFencingTests {

	@TempDir
	Path directory;

	private final SwitchableGate gate = new SwitchableGate();

	private ReplicatingDataSource dataSource;

	private JdbcTemplate jdbc;

	@BeforeEach
	void openPool() {
		SqliteConnectionSource connections = new SqliteConnectionSource(this.directory.resolve("app.db"),
				Synchronous.NORMAL, TxLock.IMMEDIATE, Duration.ofSeconds(5), List.of(), this.gate);
		this.dataSource = new ReplicatingDataSource(connections, Replication.NONE);
		this.dataSource.setMaximumPoolSize(2);
		this.jdbc = new JdbcTemplate(this.dataSource);
		this.jdbc.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)");
		this.jdbc.update("INSERT INTO notes (body) VALUES ('before')");
	}

	@AfterEach
	void closePool() {
		this.dataSource.close();
	}

	@Test
	void aWriteTransactionOpenAcrossFencingCannotCommitAndLeavesNothingBehind() throws SQLException {
		try (Connection connection = this.dataSource.getConnection()) {
			connection.setAutoCommit(false);
			try (Statement statement = connection.createStatement()) {
				statement.executeUpdate("INSERT INTO notes (body) VALUES ('in flight')");
			}
			this.gate.fence();
			assertThatExceptionOfType(NotWriterException.class).isThrownBy(connection::commit)
				.withMessageContaining("'web-2'")
				.satisfies((ex) -> assertThat(ex.getSQLState()).isEqualTo(NotWriterException.SQL_STATE));
			connection.setAutoCommit(true);
		}
		assertThat(bodies()).containsExactly("before");
	}

	@Test
	void aFurtherWriteInATransactionOpenAcrossFencingFailsAtOnce() throws SQLException {
		try (Connection connection = this.dataSource.getConnection()) {
			connection.setAutoCommit(false);
			try (PreparedStatement insert = connection.prepareStatement("INSERT INTO notes (body) VALUES (?)")) {
				insert.setString(1, "first");
				insert.executeUpdate();
				this.gate.fence();
				insert.setString(1, "second");
				assertThatExceptionOfType(NotWriterException.class).isThrownBy(insert::executeUpdate);
			}
			connection.rollback();
			connection.setAutoCommit(true);
		}
		assertThat(bodies()).containsExactly("before");
	}

	@Test
	void autoCommitWritesFailOnceFencedWhileReadsKeepWorking() throws SQLException {
		try (Connection held = this.dataSource.getConnection()) {
			this.gate.fence();
			try (Statement statement = held.createStatement()) {
				assertThatExceptionOfType(NotWriterException.class)
					.isThrownBy(() -> statement.executeUpdate("INSERT INTO notes (body) VALUES ('late')"));
				assertThatExceptionOfType(NotWriterException.class)
					.isThrownBy(() -> statement.execute("CREATE TABLE other (id INTEGER)"));
				try (ResultSet rows = statement.executeQuery("SELECT count(*) FROM notes")) {
					assertThat(rows.next()).isTrue();
					assertThat(rows.getInt(1)).isEqualTo(1);
				}
			}
		}
		assertThatExceptionOfType(DataAccessException.class)
			.isThrownBy(() -> this.jdbc.update("DELETE FROM notes"))
			.withCauseInstanceOf(NotWriterException.class);
		assertThat(bodies()).containsExactly("before");
	}

	@Test
	void newTransactionsReadButTheirFirstWriteFailsOnceFenced() {
		this.gate.fence();
		TransactionTemplate transactions = new TransactionTemplate(new DataSourceTransactionManager(this.dataSource));
		List<String> read = transactions.execute((status) -> bodies());
		assertThat(read).containsExactly("before");
		assertThatExceptionOfType(DataAccessException.class)
			.isThrownBy(() -> transactions.executeWithoutResult(
					(status) -> this.jdbc.update("INSERT INTO notes (body) VALUES ('new')")))
			.withCauseInstanceOf(NotWriterException.class);
		assertThat(bodies()).containsExactly("before");
	}

	@Test
	void aReadOnlyTransactionOpenAcrossFencingCommits() throws SQLException {
		try (Connection connection = this.dataSource.getConnection()) {
			connection.setReadOnly(true);
			connection.setAutoCommit(false);
			try (Statement statement = connection.createStatement();
					ResultSet rows = statement.executeQuery("SELECT count(*) FROM notes")) {
				rows.next();
			}
			this.gate.fence();
			connection.commit();
			connection.setAutoCommit(true);
			connection.setReadOnly(false);
			try (Statement statement = connection.createStatement()) {
				assertThatExceptionOfType(NotWriterException.class)
					.isThrownBy(() -> statement.executeUpdate("INSERT INTO notes (body) VALUES ('x')"));
				statement.execute("PRAGMA query_only = false");
				assertThatExceptionOfType(NotWriterException.class)
					.isThrownBy(() -> statement.executeUpdate("INSERT INTO notes (body) VALUES ('y')"));
			}
		}
		assertThat(bodies()).containsExactly("before");
	}

	@Test
	void connectionsOfAnUnfencedGateWriteAsBefore() {
		this.jdbc.update("INSERT INTO notes (body) VALUES ('after')");
		TransactionTemplate transactions = new TransactionTemplate(new DataSourceTransactionManager(this.dataSource));
		transactions.executeWithoutResult((status) -> this.jdbc.update("INSERT INTO notes (body) VALUES ('tx')"));
		assertThat(bodies()).containsExactly("before", "after", "tx");
	}

	private List<String> bodies() {
		return this.jdbc.queryForList("SELECT body FROM notes ORDER BY id", String.class);
	}

	static final class SwitchableGate implements WriteGate {

		private volatile boolean writer = true;

		void fence() {
			this.writer = false;
		}

		@Override
		public boolean isWriter() {
			return this.writer;
		}

		@Override
		public SQLException notWriter(SQLException cause) {
			return new NotWriterException("Not the writer: the lease is held by 'web-2'", "'web-2'", cause);
		}

	}

}
