package io.github.s3lite.internal.nativeengine;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.locks.LockSupport;

import org.sqlite.BusyHandler;

/**
 * The replica writer's own two connections to the database: one takes the write lock or a read
 * transaction, the other checkpoints (SQLite cannot checkpoint inside a transaction of the same
 * connection). Both have {@code wal_autocheckpoint=0} and wait up to 5 s for locks (the locker polls
 * eagerly, so that it gets the write lock between the transactions of a saturating writer); keeping them
 * open stops SQLite from checkpointing and deleting the WAL when the application's last connection
 * closes.
 */
final class SqliteControl implements AutoCloseable {

	private final Path database;

	private final Connection locker;

	private final Connection checkpointer;

	private SqliteControl(Path database, Connection locker, Connection checkpointer) {
		this.database = database;
		this.locker = locker;
		this.checkpointer = checkpointer;
	}

	/**
	 * Open the connections.
	 * @param database the database file, which must be in WAL mode
	 * @return the control
	 * @throws IOException if the database cannot be opened or is not in WAL mode
	 */
	static SqliteControl open(Path database) throws IOException {
		try {
			Connection locker = connect(database, Duration.ofSeconds(5));
			try {
				return new SqliteControl(database, locker, connect(database));
			}
			catch (SQLException ex) {
				locker.close();
				throw ex;
			}
		}
		catch (SQLException ex) {
			throw new IOException("Could not open " + database + " for replication: " + ex.getMessage(), ex);
		}
	}

	/**
	 * Open a connection that waits for the write lock by polling eagerly, up to a bound.
	 * @param database the database, in WAL mode
	 * @param giveUp how long to wait for a lock before failing with {@code SQLITE_BUSY}
	 * @return the connection
	 * @throws SQLException if the database cannot be opened or is not in WAL mode
	 */
	static Connection connect(Path database, Duration giveUp) throws SQLException {
		Connection connection = connect(database);
		try {
			BusyHandler.setHandler(connection, new EagerBusyHandler(giveUp));
			return connection;
		}
		catch (SQLException ex) {
			connection.close();
			throw ex;
		}
	}

	private static Connection connect(Path database) throws SQLException {
		Connection connection = DriverManager.getConnection("jdbc:sqlite:" + database);
		try (Statement statement = connection.createStatement()) {
			statement.execute("PRAGMA busy_timeout=5000");
			statement.execute("PRAGMA wal_autocheckpoint=0");
			try (ResultSet mode = statement.executeQuery("PRAGMA journal_mode")) {
				if (!mode.next() || !"wal".equalsIgnoreCase(mode.getString(1))) {
					throw new SQLException(database + " is not in WAL mode");
				}
			}
			return connection;
		}
		catch (SQLException ex) {
			connection.close();
			throw ex;
		}
	}

	/**
	 * Run work while holding the database's write lock ({@code BEGIN IMMEDIATE}): no transaction can
	 * commit meanwhile.
	 * @param work the work
	 * @throws IOException if the work fails or the lock cannot be taken
	 */
	void whileWriteLocked(Work work) throws IOException {
		inTransaction("BEGIN IMMEDIATE", work);
	}

	/**
	 * Run work inside a read transaction, which pins the WAL as litestream's read lock does.
	 * @param work the work
	 * @throws IOException if the work fails or the transaction cannot start
	 */
	void whileReading(Work work) throws IOException {
		inTransaction("BEGIN", () -> {
			query(this.locker, "SELECT count(*) FROM sqlite_master");
			work.run();
		});
	}

	private void inTransaction(String begin, Work work) throws IOException {
		execute(this.locker, begin);
		try {
			work.run();
		}
		finally {
			execute(this.locker, "COMMIT");
		}
	}

	/**
	 * Run a PASSIVE checkpoint from the second connection: it copies frames up to the oldest read mark in
	 * use and never waits.
	 * @return the outcome
	 * @throws IOException on an SQLite error
	 */
	Checkpoint checkpointPassive() throws IOException {
		int[] result = query(this.checkpointer, "PRAGMA wal_checkpoint(PASSIVE)");
		return new Checkpoint(result[0] != 0, result[1], result[2]);
	}

	/**
	 * Run a TRUNCATE checkpoint from the second connection without waiting: when the write lock is
	 * taken or readers use the WAL it copies what it can (as PASSIVE does) and leaves the WAL in place.
	 * Waiting would hold the write lock while readers finish, so that application writers time out.
	 * @throws IOException on an SQLite error
	 */
	void checkpointTruncateWithoutWaiting() throws IOException {
		execute(this.checkpointer, "PRAGMA busy_timeout=0");
		try {
			query(this.checkpointer, "PRAGMA wal_checkpoint(TRUNCATE)");
		}
		finally {
			execute(this.checkpointer, "PRAGMA busy_timeout=5000");
		}
	}

	private void execute(Connection connection, String sql) throws IOException {
		try (Statement statement = connection.createStatement()) {
			statement.execute(sql);
		}
		catch (SQLException ex) {
			throw failure(sql, ex);
		}
	}

	private int[] query(Connection connection, String sql) throws IOException {
		try (Statement statement = connection.createStatement(); ResultSet result = statement.executeQuery(sql)) {
			result.next();
			int columns = result.getMetaData().getColumnCount();
			int[] values = new int[columns];
			for (int i = 0; i < columns; i++) {
				values[i] = result.getInt(i + 1);
			}
			return values;
		}
		catch (SQLException ex) {
			throw failure(sql, ex);
		}
	}

	private IOException failure(String sql, SQLException ex) {
		return new IOException("SQLite failed on '" + sql + "' for " + this.database + ": " + ex.getMessage(), ex);
	}

	@Override
	public void close() throws IOException {
		try {
			this.locker.close();
			this.checkpointer.close();
		}
		catch (SQLException ex) {
			throw new IOException("Could not close the replica writer's connections to " + this.database, ex);
		}
	}

	/**
	 * Retries every 20 µs for up to 5 s instead of sleeping milliseconds as {@code busy_timeout} does:
	 * under writers that never pause, the write lock is free only for microseconds between their
	 * transactions, so a sleeping waiter would starve and the WAL would grow without bound.
	 */
	private static final class EagerBusyHandler extends BusyHandler {

		private final long giveUpNanos;

		private long waitingSince;

		EagerBusyHandler(Duration giveUp) {
			this.giveUpNanos = giveUp.toNanos();
		}

		@Override
		protected int callback(int previousInvocations) {
			long now = System.nanoTime();
			if (previousInvocations == 0) {
				this.waitingSince = now;
			}
			if (now - this.waitingSince > this.giveUpNanos) {
				return 0;
			}
			LockSupport.parkNanos(20_000);
			return 1;
		}

	}

	/**
	 * The outcome of a checkpoint, as {@code PRAGMA wal_checkpoint} reports it.
	 *
	 * @param busy whether it could not run
	 * @param walFrames the frames in the WAL when it ran
	 * @param checkpointedFrames the frames copied into the database by now
	 */
	record Checkpoint(boolean busy, int walFrames, int checkpointedFrames) {

		/** Whether every frame in the WAL is in the database. */
		boolean complete() {
			return !this.busy && this.walFrames == this.checkpointedFrames;
		}

	}

	/** Work done under a lock or transaction. */
	@FunctionalInterface
	interface Work {

		void run() throws IOException;

	}

}
