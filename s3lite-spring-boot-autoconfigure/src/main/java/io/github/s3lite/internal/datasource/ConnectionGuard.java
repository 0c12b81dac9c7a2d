package io.github.s3lite.internal.datasource;

import java.nio.file.Path;
import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * The checks one {@link ReadOnlyAwareSqliteConnection} runs around its statements and commits: it
 * passes the {@link WriteFence}, makes the connection follow its {@link WriteGate} ({@link WriteMode}),
 * refuses {@code PRAGMA wal_checkpoint} while the engine owns checkpoints ({@link CheckpointPragma}),
 * tracks what was written ({@link WriteTracker}) so that a commit that wrote waits for the replica
 * ({@link DurableCommits}), and turns the failures SQLite reports for a fenced or refusing connection
 * into the gate's or the durable commits' exception.
 */
final class ConnectionGuard {

	private static final int SQLITE_READONLY = 8;

	private static final int SQLITE_INTERRUPT = 9;

	private final ReadOnlyAwareSqliteConnection connection;

	private final WriteGate gate;

	private final WriteMode mode;

	private final FencePass fence;

	private final DurableCommits durable;

	/** Whether {@code PRAGMA wal_checkpoint} is refused (see {@link CheckpointPragma}). */
	private final boolean engineOwnsCheckpoints;

	private final WriteTracker writes;

	ConnectionGuard(ReadOnlyAwareSqliteConnection connection, Path database, WriteGate gate, WriteFence fence,
			DurableCommits durable, boolean engineOwnsCheckpoints) {
		this.connection = connection;
		this.gate = gate;
		this.mode = new WriteMode(connection, gate);
		this.fence = new FencePass(fence);
		this.durable = durable;
		this.engineOwnsCheckpoints = engineOwnsCheckpoints;
		this.writes = new WriteTracker(database);
		if (durable.enabled()) {
			connection.addCommitListener(this.writes.observer());
		}
	}

	WriteMode mode() {
		return this.mode;
	}

	/** Enter the fence's shared side (once per nesting). */
	void enterFence() throws SQLException {
		this.fence.enter(this.connection);
	}

	void exitFence() {
		this.fence.exit(this.connection);
	}

	/** Make the connection follow the gate (see {@link WriteMode#followGate(boolean)}). */
	void followGate() throws SQLException {
		this.mode.followGate(this.connection.getAutoCommit());
	}

	void transactionBegun() {
		this.mode.transactionBegun();
		this.fence.transactionBegun();
	}

	/**
	 * Called on the fence's shared side before every statement runs: refuses a checkpoint pragma, makes
	 * the connection follow the gate, and keeps {@code query_only} on while fenced, even if the
	 * application turned it off.
	 * @param sql the statement's text, {@code null} for a batch of prepared parameter sets
	 */
	void beforeStatement(String sql) throws SQLException {
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
		if (rows == null || !this.connection.getAutoCommit()) {
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
		if (this.connection.getAutoCommit()) {
			awaitIfWritten();
		}
	}

	/**
	 * Return why the open transaction must not commit, on the fence's shared side: this instance was
	 * fenced since it began, or the replica is unreachable and it may have written.
	 * @return the exception to fail the commit with, or {@code null} when it may commit
	 */
	SQLException commitRefusal() throws SQLException {
		followGate();
		if (this.mode.mustNotCommit(this.fence.fencedSinceTransactionBegan())) {
			return this.gate.notWriter(null);
		}
		if (durable() && mayHaveWritten() && !this.durable.acceptingWrites()) {
			return this.durable.refuseWrite();
		}
		return null;
	}

	/**
	 * Return why a batch run as one transaction must not commit: this instance is not the writer, or was
	 * fenced since the batch entered the fence.
	 * @return the exception to fail the batch with, or {@code null} when it may commit
	 */
	SQLException batchRefusal() {
		if (!this.gate.isWriter() || this.fence.fencedSinceEntered()) {
			return this.gate.notWriter(null);
		}
		return null;
	}

	/** Wait for the replica when a commit since the last wait wrote (durable commits), then mark. */
	void awaitIfWritten() throws SQLException {
		boolean wrote = durable() && this.writes.committedWrites();
		mark();
		if (wrote) {
			this.durable.awaitReplicated();
		}
	}

	/** Forget what was written so far. */
	void mark() throws SQLException {
		this.writes.mark(this.connection.getDatabase().total_changes());
	}

	/**
	 * Return the exception a failed statement should throw: the gate's when SQLite refused a write
	 * because this connection is fenced, or interrupted it because this instance was fenced meanwhile.
	 */
	SQLException translate(SQLException ex) {
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

	void close() {
		this.writes.close();
	}

	private boolean durable() {
		return this.durable.enabled();
	}

	private boolean mayHaveWritten() throws SQLException {
		return this.writes.mayHaveWritten(this.connection.getDatabase().total_changes());
	}

}
