package io.github.s3lite.internal.datasource;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.Function;
import org.sqlite.SQLiteConnection;

import org.springframework.jdbc.core.JdbcTemplate;

import io.github.s3lite.config.Synchronous;
import io.github.s3lite.config.TxLock;
import io.github.s3lite.replication.NotWriterException;
import io.github.s3lite.replication.Replication;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;
import io.github.s3lite.datasource.ReplicatingDataSource;

/**
 * No commit completes after the fence: what was running when this instance was fenced committed before
 * the fence completed, or not at all; and a fence is not for good: once the gate says yes again, the
 * same connections write again. Real SQLite through s3lite's pool, with a gate the test flips.
 */
class FenceAtCommitTests {

	@TempDir
	Path directory;

	private final FlippableGate gate = new FlippableGate();

	private ReplicatingDataSource dataSource;

	private JdbcTemplate jdbc;

	@BeforeEach
	void openPool() {
		SqliteConnectionSource connections = new SqliteConnectionSource(database(), Synchronous.NORMAL,
				TxLock.IMMEDIATE, Duration.ofSeconds(5), List.of(), this.gate);
		this.dataSource = new ReplicatingDataSource(connections, Replication.NONE);
		this.dataSource.setMaximumPoolSize(2);
		this.jdbc = new JdbcTemplate(this.dataSource);
		this.jdbc.execute("CREATE TABLE notes (id INTEGER PRIMARY KEY, body TEXT)");
	}

	@AfterEach
	void closePool() {
		this.dataSource.close();
	}

	@Test
	void noRowOfAnAutoCommitBatchCommitsAfterTheFence() throws Exception {
		CountDownLatch hundredthRow = new CountDownLatch(1);
		CompletableFuture<int[]> batch = CompletableFuture.supplyAsync(() -> {
			try (Connection connection = this.dataSource.getConnection()) {
				countRows(connection, hundredthRow);
				return insertFiftyThousand(connection);
			}
			catch (SQLException ex) {
				throw new IllegalStateException(ex);
			}
		});
		assertThat(hundredthRow.await(60, TimeUnit.SECONDS)).as("the batch is running").isTrue();
		this.gate.fence();
		long atFence = rows();
		assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> batch.get(60, TimeUnit.SECONDS))
			.havingRootCause()
			.isInstanceOf(NotWriterException.class);
		assertThat(rows()).as("no row committed after the fence").isEqualTo(atFence);
	}

	/** Register {@code counted(x)}, which returns x and counts the latch down at its 100th call. */
	private static void countRows(Connection connection, CountDownLatch hundredthRow) throws SQLException {
		Function.create(connection.unwrap(SQLiteConnection.class), "counted", new Function() {

			private int calls;

			@Override
			protected void xFunc() throws SQLException {
				if (++this.calls == 100) {
					hundredthRow.countDown();
				}
				result(value_text(0));
			}

		});
	}

	private static int[] insertFiftyThousand(Connection connection) throws SQLException {
		try (PreparedStatement insert = connection.prepareStatement("INSERT INTO notes (body) VALUES (counted(?))")) {
			for (int i = 0; i < 50_000; i++) {
				insert.setString(1, "row " + i);
				insert.addBatch();
			}
			return insert.executeBatch();
		}
	}

	@Test
	void aStatementWaitingForTheWriteLockWhenFencedNeverCommits() throws Exception {
		try (Connection other = DriverManager.getConnection("jdbc:sqlite:" + database());
				Statement holder = other.createStatement()) {
			holder.execute("PRAGMA busy_timeout = 5000");
			other.setAutoCommit(false);
			holder.executeUpdate("INSERT INTO notes (body) VALUES ('holder')");
			CompletableFuture<Integer> waiting = new CompletableFuture<>();
			Thread writer = new Thread(() -> {
				try {
					waiting.complete(this.jdbc.update("INSERT INTO notes (body) VALUES ('waiting')"));
				}
				catch (RuntimeException ex) {
					waiting.completeExceptionally(ex);
				}
			}, "waiting-writer");
			writer.start();
			await("the statement waits in SQLite for the write lock").atMost(Duration.ofSeconds(30))
				.until(() -> Arrays.stream(writer.getStackTrace())
					.anyMatch((frame) -> frame.getClassName().equals("org.sqlite.core.NativeDB")));
			this.gate.fence();
			other.commit();
			assertThatExceptionOfType(ExecutionException.class).isThrownBy(() -> waiting.get(30, TimeUnit.SECONDS))
				.havingRootCause()
				.isInstanceOf(SQLException.class);
		}
		assertThat(this.jdbc.queryForList("SELECT body FROM notes", String.class)).containsExactly("holder");
	}

	@Test
	void aFencedConnectionWritesAgainOnceTheGateSaysYesAgain() throws SQLException {
		try (Connection connection = this.dataSource.getConnection(); Statement statement = connection.createStatement()) {
			statement.executeUpdate("INSERT INTO notes (body) VALUES ('before')");
			this.gate.fence();
			assertThatExceptionOfType(NotWriterException.class)
				.isThrownBy(() -> statement.executeUpdate("INSERT INTO notes (body) VALUES ('fenced')"));
			this.gate.promote();
			statement.executeUpdate("INSERT INTO notes (body) VALUES ('again')");
			connection.setAutoCommit(false);
			statement.executeUpdate("INSERT INTO notes (body) VALUES ('in a transaction')");
			connection.commit();
			connection.setAutoCommit(true);
		}
		assertThat(this.jdbc.queryForList("SELECT body FROM notes ORDER BY id", String.class))
			.containsExactly("before", "again", "in a transaction");
	}

	@Test
	void aTransactionThatSpansAFenceCannotCommitEvenOnceTheGateSaysYesAgain() throws SQLException {
		try (Connection connection = this.dataSource.getConnection()) {
			connection.setAutoCommit(false);
			try (Statement statement = connection.createStatement()) {
				statement.executeUpdate("INSERT INTO notes (body) VALUES ('spanning')");
			}
			this.gate.fence();
			this.gate.promote();
			assertThatExceptionOfType(NotWriterException.class).isThrownBy(connection::commit);
			connection.setAutoCommit(true);
		}
		assertThat(this.jdbc.queryForList("SELECT body FROM notes", String.class)).isEmpty();
	}

	private long rows() throws SQLException {
		try (Connection reader = DriverManager.getConnection("jdbc:sqlite:" + database());
				Statement statement = reader.createStatement();
				ResultSet count = statement.executeQuery("SELECT count(*) FROM notes")) {
			count.next();
			return count.getLong(1);
		}
	}

	private Path database() {
		return this.directory.resolve("app.db");
	}

}
