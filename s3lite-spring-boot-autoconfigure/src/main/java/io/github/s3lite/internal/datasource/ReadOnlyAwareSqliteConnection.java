package io.github.s3lite.internal.datasource;

import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

import org.sqlite.jdbc4.JDBC4Connection;

/**
 * An sqlite-jdbc connection that honours {@link #setReadOnly(boolean)} the way Spring uses it for
 * {@code @Transactional(readOnly = true)}, before it begins the transaction: the following
 * transactions begin {@code DEFERRED} and {@code PRAGMA query_only} is on (a transaction already open
 * keeps the lock it began with). sqlite-jdbc itself refuses the call, so a read-only transaction
 * would begin with the configured lock ({@code BEGIN IMMEDIATE} by default), hold the write lock for
 * as long as it lasts, and make every writer waiting longer than {@code s3lite.busy-timeout} fail
 * with {@code SQLITE_BUSY}. A deferred read transaction in WAL mode never blocks writers.
 * <p>
 * It also enforces a {@link WriteGate}, on the shared side of the {@link WriteFence} so that the check
 * and SQLite's commit are one step: while the gate says this instance is not the writer, the connection
 * is <em>fenced</em>: {@code query_only} is on (again before every statement, whatever the application
 * set) and transactions begin deferred, so reads keep working and SQLite itself refuses every write,
 * which fails with the gate's exception. Once the gate says yes again, the connection writes again
 * (from its next auto-commit statement or transaction). A read-write transaction that was open when
 * this instance was fenced cannot commit: it is rolled back and the commit fails with the gate's
 * exception, even if it only read (s3lite cannot tell).
 * <p>
 * With {@link DurableCommits} enabled, every commit that wrote returns only once the replica holds it:
 * explicit {@code commit()}, {@code setAutoCommit(true)} and auto-commit statements of any kind (DML,
 * {@code INSERT … RETURNING}, pragmas that write, DDL, {@code VACUUM}, batches); SQLite itself tells
 * whether a commit wrote ({@link CommitObserver}). An auto-commit statement that returns the rows it
 * writes ({@code RETURNING}) has its rows read before the call returns ({@link BufferedRows}), so that
 * it commits, inside the fence, and waits, inside the call. The wait runs off the fence's shared side, and the next transaction
 * begins only after it, so a waiting connection holds no lock. While the replica is unreachable, writes
 * are refused like a fenced connection's ({@code query_only}), failing fast.
 * <p>
 * While the database is replicated, {@code PRAGMA wal_checkpoint} is refused: the engine owns
 * checkpoints ({@link CheckpointPragma}). The checks themselves are the {@link ConnectionGuard}'s; this
 * class sequences them with sqlite-jdbc's transaction calls.
 */
class ReadOnlyAwareSqliteConnection extends JDBC4Connection {

	/** {@code null} while sqlite-jdbc's constructor applies the configured pragmas. */
	private final ConnectionGuard guard;

	ReadOnlyAwareSqliteConnection(String url, String fileName, Properties properties, WriteGate gate,
			WriteFence fence, DurableCommits durable, boolean engineOwnsCheckpoints) throws SQLException {
		super(url, fileName, properties);
		this.guard = new ConnectionGuard(this, Path.of(fileName), gate, fence, durable, engineOwnsCheckpoints);
		this.guard.mark();
	}

	/** Return the checks run around this connection's statements, {@code null} while it is constructed. */
	ConnectionGuard guard() {
		return this.guard;
	}

	@Override
	public void setReadOnly(boolean readOnly) throws SQLException {
		if (this.guard != null) {
			this.guard.mode().setReadOnly(readOnly);
		}
	}

	@Override
	public boolean isReadOnly() {
		return (this.guard != null && this.guard.mode().readOnly()) || super.isReadOnly();
	}

	@Override
	public void setAutoCommit(boolean autoCommit) throws SQLException {
		if (this.guard == null || autoCommit == getAutoCommit()) {
			super.setAutoCommit(autoCommit);
			return;
		}
		if (autoCommit) {
			// switching to auto-commit commits the open transaction
			commitInsideFence(false);
			this.guard.awaitIfWritten();
			return;
		}
		this.guard.followGate();
		super.setAutoCommit(false);
		this.guard.transactionBegun();
	}

	@Override
	public void commit() throws SQLException {
		if (getAutoCommit()) {
			super.commit();
			return;
		}
		commitInsideFence(true);
		try {
			this.guard.awaitIfWritten();
		}
		finally {
			super.setAutoCommit(false);
			this.guard.transactionBegun();
		}
	}

	/**
	 * Commit the open transaction and leave auto-commit on, on the fence's shared side: refused (rolled
	 * back) when this instance was fenced since it began, or while the replica is unreachable.
	 * @param staysInTransaction whether a refused commit leaves a new transaction open ({@code commit()})
	 * rather than auto-commit on ({@code setAutoCommit(true)})
	 */
	private void commitInsideFence(boolean staysInTransaction) throws SQLException {
		this.guard.enterFence();
		try {
			SQLException refusal = this.guard.commitRefusal();
			if (refusal != null) {
				rollBack(staysInTransaction);
				throw refusal;
			}
			super.setAutoCommit(true);
		}
		finally {
			this.guard.exitFence();
		}
	}

	private void rollBack(boolean staysInTransaction) throws SQLException {
		super.rollback();
		if (staysInTransaction) {
			this.guard.transactionBegun();
		}
		else {
			super.setAutoCommit(true);
		}
		this.guard.mark();
	}

	@Override
	public void rollback() throws SQLException {
		if (this.guard == null) {
			super.rollback();
			return;
		}
		this.guard.followGate();
		super.rollback();
		this.guard.mark();
		this.guard.transactionBegun();
	}

	@Override
	public void close() throws SQLException {
		try {
			super.close();
		}
		finally {
			if (this.guard != null) {
				this.guard.close();
			}
		}
	}

	@Override
	public Statement createStatement(int resultSetType, int resultSetConcurrency, int resultSetHoldability)
			throws SQLException {
		checkOpen();
		checkCursor(resultSetType, resultSetConcurrency, resultSetHoldability);
		return new WriteGatedStatement(this);
	}

	@Override
	public PreparedStatement prepareStatement(String sql, int resultSetType, int resultSetConcurrency,
			int resultSetHoldability) throws SQLException {
		checkOpen();
		checkCursor(resultSetType, resultSetConcurrency, resultSetHoldability);
		return new WriteGatedPreparedStatement(this, sql);
	}

	/**
	 * Run an auto-commit batch as one transaction, committed on the fence's shared side only if this
	 * instance was not fenced since the batch began: in auto-commit each parameter set would otherwise be
	 * a commit of its own, between which no interrupt can reach the batch. In a transaction, run it as is.
	 * @param batch the batch
	 * @return its update counts
	 */
	<T> T batch(GatedCall<T> batch) throws SQLException {
		if (!getAutoCommit()) {
			return batch.call();
		}
		super.setAutoCommit(false);
		boolean committed = false;
		try {
			T counts = batch.call();
			SQLException refusal = this.guard.batchRefusal();
			if (refusal != null) {
				throw refusal;
			}
			super.setAutoCommit(true);
			committed = true;
			return counts;
		}
		finally {
			if (!committed) {
				super.rollback();
				super.setAutoCommit(true);
			}
		}
	}

	/** Interrupt the statement running on this connection, if any ({@code sqlite3_interrupt}). */
	void interruptStatement() {
		try {
			getDatabase().interrupt();
		}
		catch (SQLException ex) {
			// closed meanwhile: nothing runs
		}
	}

	/**
	 * Refuse a {@code PRAGMA wal_checkpoint} while the engine owns checkpoints.
	 * @param sql the statement's text
	 */
	void refuseCheckpoint(String sql) throws SQLException {
		if (this.guard != null) {
			this.guard.refuseCheckpoint(sql);
		}
	}

	/**
	 * Return the rows a statement returned, read at once when it is an auto-commit statement that
	 * returns the rows it writes (see {@link ConnectionGuard#settle(ResultSet, String)}).
	 */
	ResultSet settle(ResultSet rows, String sql) throws SQLException {
		return (this.guard != null) ? this.guard.settle(rows, sql) : rows;
	}

}
