package io.github.s3lite.datasource;

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
 * checkpoints ({@link CheckpointPragma}).
 */
class ReadOnlyAwareSqliteConnection extends JDBC4Connection {

	private static final int SQLITE_READONLY = 8;

	private static final int SQLITE_INTERRUPT = 9;

	private final WriteGate gate;

	private final WriteMode mode;

	private final FencePass fence;

	private final DurableCommits durable;

	/** Whether {@code PRAGMA wal_checkpoint} is refused (see {@link CheckpointPragma}). */
	private final boolean engineOwnsCheckpoints;

	private final WriteTracker writes;

	ReadOnlyAwareSqliteConnection(String url, String fileName, Properties properties, WriteGate gate,
			WriteFence fence, DurableCommits durable, boolean engineOwnsCheckpoints) throws SQLException {
		super(url, fileName, properties);
		this.gate = gate;
		this.mode = new WriteMode(this, gate);
		this.fence = new FencePass(fence);
		this.durable = durable;
		this.engineOwnsCheckpoints = engineOwnsCheckpoints;
		this.writes = new WriteTracker(Path.of(fileName));
		if (durable.enabled()) {
			addCommitListener(this.writes.observer());
		}
		mark();
	}

	@Override
	public void setReadOnly(boolean readOnly) throws SQLException {
		if (this.mode != null) {
			this.mode.setReadOnly(readOnly);
		}
	}

	@Override
	public boolean isReadOnly() {
		return (this.mode != null && this.mode.readOnly()) || super.isReadOnly();
	}

	@Override
	public void setAutoCommit(boolean autoCommit) throws SQLException {
		if (this.writes == null || autoCommit == getAutoCommit()) {
			super.setAutoCommit(autoCommit);
			return;
		}
		if (autoCommit) {
			// switching to auto-commit commits the open transaction
			commitInsideFence(false);
			awaitIfWritten();
			return;
		}
		followGate();
		super.setAutoCommit(false);
		transactionBegun();
	}

	@Override
	public void commit() throws SQLException {
		if (getAutoCommit()) {
			super.commit();
			return;
		}
		commitInsideFence(true);
		try {
			awaitIfWritten();
		}
		finally {
			super.setAutoCommit(false);
			transactionBegun();
		}
	}

	/**
	 * Commit the open transaction and leave auto-commit on, on the fence's shared side: refused (rolled
	 * back) when this instance was fenced since it began, or while the replica is unreachable.
	 * @param staysInTransaction whether a refused commit leaves a new transaction open ({@code commit()})
	 * rather than auto-commit on ({@code setAutoCommit(true)})
	 */
	private void commitInsideFence(boolean staysInTransaction) throws SQLException {
		enterFence();
		try {
			followGate();
			if (this.mode.mustNotCommit(this.fence.fencedSinceTransactionBegan())) {
				rollBack(staysInTransaction);
				throw this.gate.notWriter(null);
			}
			if (durable() && mayHaveWritten() && !this.durable.acceptingWrites()) {
				rollBack(staysInTransaction);
				throw this.durable.refuseWrite();
			}
			super.setAutoCommit(true);
		}
		finally {
			exitFence();
		}
	}

	private void rollBack(boolean staysInTransaction) throws SQLException {
		super.rollback();
		if (staysInTransaction) {
			transactionBegun();
		}
		else {
			super.setAutoCommit(true);
		}
		mark();
	}

	@Override
	public void rollback() throws SQLException {
		followGate();
		super.rollback();
		mark();
		transactionBegun();
	}

	private void transactionBegun() {
		if (this.mode != null) {
			this.mode.transactionBegun();
			this.fence.transactionBegun();
		}
	}

	@Override
	public void close() throws SQLException {
		try {
			super.close();
		}
		finally {
			if (this.writes != null) {
				this.writes.close();
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

	/** Enter the fence's shared side (once per nesting). */
	void enterFence() throws SQLException {
		// null while sqlite-jdbc's constructor applies the configured pragmas
		if (this.fence != null) {
			this.fence.enter(this);
		}
	}

	void exitFence() {
		if (this.fence != null) {
			this.fence.exit(this);
		}
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
			if (!this.gate.isWriter() || this.fence.fencedSinceEntered()) {
				throw this.gate.notWriter(null);
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
	 * Called on the fence's shared side before every statement runs: refuses a checkpoint pragma, makes
	 * the connection follow the gate, and keeps {@code query_only} on while fenced, even if the
	 * application turned it off.
	 * @param sql the statement's text, {@code null} for a batch of prepared parameter sets
	 */
	void beforeStatement(String sql) throws SQLException {
		if (this.writes == null) {
			// sqlite-jdbc's constructor applying the configured pragmas
			return;
		}
		refuseCheckpoint(sql);
		followGate();
		this.mode.reassertWhileFenced();
		if (durable()) {
			this.mode.setRefusing(!this.durable.acceptingWrites());
		}
		this.writes.statementStarting(sql);
	}

	/**
	 * Refuse a {@code PRAGMA wal_checkpoint} while the engine owns checkpoints.
	 * @param sql the statement's text
	 */
	void refuseCheckpoint(String sql) throws SQLException {
		if (this.engineOwnsCheckpoints && CheckpointPragma.matches(sql)) {
			throw CheckpointPragma.refusal(sql);
		}
	}

	/**
	 * Return the rows a statement returned, read at once when it is an auto-commit statement that
	 * returns the rows it writes (it commits only once they are read, see {@link BufferedRows}).
	 * @param rows the statement's result set
	 * @param sql the statement's text
	 * @return the result set to give the application
	 */
	ResultSet settle(ResultSet rows, String sql) throws SQLException {
		if (rows == null || this.writes == null || !getAutoCommit()) {
			return rows;
		}
		if (SchemaStatements.returnsRows(sql)) {
			return BufferedRows.of(rows);
		}
		return rows;
	}

	/**
	 * Called off the fence's shared side after every statement ran, also when it failed (it may have
	 * committed before failing): with durable commits, an auto-commit statement that wrote waits until
	 * the replica holds it.
	 */
	void afterStatement() throws SQLException {
		if (this.writes != null && getAutoCommit()) {
			awaitIfWritten();
		}
	}

	/** Wait for the replica when a commit since the last wait wrote (durable commits), then mark. */
	private void awaitIfWritten() throws SQLException {
		boolean wrote = durable() && this.writes.committedWrites();
		mark();
		if (wrote) {
			this.durable.awaitReplicated();
		}
	}

	private boolean durable() {
		// null while sqlite-jdbc's constructor applies the configured pragmas
		return this.durable != null && this.durable.enabled();
	}

	private boolean mayHaveWritten() throws SQLException {
		return this.writes.mayHaveWritten(getDatabase().total_changes());
	}

	private void mark() throws SQLException {
		if (this.writes != null) {
			this.writes.mark(getDatabase().total_changes());
		}
	}

	/**
	 * Return the exception a failed statement should throw: the gate's when SQLite refused a write
	 * because this connection is fenced, or interrupted it because this instance was fenced meanwhile.
	 */
	SQLException translate(SQLException ex) {
		if (this.writes == null) {
			return ex;
		}
		int code = ex.getErrorCode() & 0xff;
		if (code == 0 && ex.getCause() instanceof SQLException cause) {
			// a batch entry's failure, wrapped in a BatchUpdateException
			code = cause.getErrorCode() & 0xff;
		}
		if (this.mode.fenced() && code == SQLITE_READONLY && !this.mode.readOnly()) {
			return this.gate.notWriter(ex);
		}
		if (code == SQLITE_INTERRUPT && this.fence.fencedSinceEntered()) {
			return this.gate.notWriter(ex);
		}
		if (this.mode.refusing() && code == SQLITE_READONLY && !this.mode.readOnly()) {
			return this.durable.refuseWrite();
		}
		return ex;
	}

	private void followGate() throws SQLException {
		// null while sqlite-jdbc's constructor applies the configured pragmas
		if (this.mode != null) {
			this.mode.followGate(getAutoCommit());
		}
	}

}
