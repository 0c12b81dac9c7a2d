package io.github.s3lite.datasource;

import java.nio.file.Path;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

import org.sqlite.SQLiteConfig;
import org.sqlite.jdbc4.JDBC4Connection;
import org.sqlite.jdbc4.JDBC4Statement;

/**
 * An sqlite-jdbc connection that honours {@link #setReadOnly(boolean)} the way Spring uses it for
 * {@code @Transactional(readOnly = true)}, before it begins the transaction: the following
 * transactions begin {@code DEFERRED} and {@code PRAGMA query_only} is on (a transaction already open
 * keeps the lock it began with). sqlite-jdbc itself refuses the call, so a read-only transaction
 * would begin with the configured lock ({@code BEGIN IMMEDIATE} by default), hold the write lock for
 * as long as it lasts, and make every writer waiting longer than {@code s3lite.busy-timeout} fail
 * with {@code SQLITE_BUSY}. A deferred read transaction in WAL mode never blocks writers.
 * <p>
 * It also enforces a {@link WriteGate}: once the gate says this instance is not the writer, the
 * connection is <em>fenced</em> before its next statement, transaction or commit: {@code query_only}
 * is turned on for good (whatever {@code setReadOnly} says later, and again before every statement) and transactions begin deferred, so
 * reads keep working and SQLite itself refuses every write, which fails with the gate's exception. A
 * read-write transaction that was open when the gate changed its answer cannot commit: it is rolled
 * back and the commit fails with the gate's exception, even if it only read (s3lite cannot tell).
 * <p>
 * With {@link DurableCommits} enabled, every commit that wrote returns only once the replica holds it:
 * explicit {@code commit()}, {@code setAutoCommit(true)} and auto-commit statements of any kind
 * (DML, {@code INSERT … RETURNING}, pragmas that write, DDL, {@code VACUUM}, batches). Whether a commit
 * wrote is told by SQLite itself ({@link CommitObserver}). An auto-commit statement that changed rows
 * and returns them has its rows read before the call returns ({@link BufferedRows}), so that it commits,
 * and waits, inside the call. The next transaction begins only after the wait, so a waiting connection
 * holds no lock. While the replica is unreachable, writes are refused like a fenced connection's
 * ({@code query_only}), failing fast.
 * <p>
 * While the database is replicated, {@code PRAGMA wal_checkpoint} is refused: the engine owns
 * checkpoints ({@link CheckpointPragma}).
 */
class ReadOnlyAwareSqliteConnection extends JDBC4Connection {

	private static final int SQLITE_READONLY = 8;

	private final SQLiteConfig.TransactionMode readWriteMode;

	private final WriteGate gate;

	private boolean readOnly;

	private boolean fenced;

	private boolean transactionBegunAsWriter;

	private final DurableCommits durable;

	/** Whether {@code PRAGMA wal_checkpoint} is refused (see {@link CheckpointPragma}). */
	private final boolean engineOwnsCheckpoints;

	/** {@code total_changes()} when this connection last committed, rolled back or waited. */
	private long changesMark;

	/** Sees this connection's commits and row changes. */
	private final CommitObserver commits;

	/** The update hook's count when this connection last committed, rolled back or waited. */
	private long rowChangesAtMark;

	/** The update hook's count when the running statement began. */
	private long rowChangesAtStatement;

	private boolean schemaChanged;

	/** Whether writes are refused because the replica is unreachable (durable commits). */
	private boolean refusing;

	ReadOnlyAwareSqliteConnection(String url, String fileName, Properties properties, WriteGate gate)
			throws SQLException {
		this(url, fileName, properties, gate, DurableCommits.OFF, false);
	}

	ReadOnlyAwareSqliteConnection(String url, String fileName, Properties properties, WriteGate gate,
			DurableCommits durable, boolean engineOwnsCheckpoints) throws SQLException {
		super(url, fileName, properties);
		this.engineOwnsCheckpoints = engineOwnsCheckpoints;
		this.readWriteMode = getConnectionConfig().getTransactionMode();
		this.gate = gate;
		this.durable = durable;
		this.commits = new CommitObserver(Path.of(fileName));
		addCommitListener(this.commits);
		addUpdateListener(this.commits);
		if (durable.enabled()) {
			mark();
		}
	}

	@Override
	public void setReadOnly(boolean readOnly) throws SQLException {
		if (readOnly == this.readOnly) {
			return;
		}
		this.readOnly = readOnly;
		applyQueryOnly();
	}

	@Override
	public boolean isReadOnly() {
		return this.readOnly || super.isReadOnly();
	}

	@Override
	public void setAutoCommit(boolean autoCommit) throws SQLException {
		fenceIfNotWriter();
		if (!autoCommit && getAutoCommit()) {
			this.transactionBegunAsWriter = !this.fenced;
		}
		if (durable() && autoCommit && !getAutoCommit()) {
			// switching to auto-commit commits the open transaction
			if (mayHaveWritten() && !this.durable.acceptingWrites()) {
				super.rollback();
				super.setAutoCommit(true);
				mark();
				throw this.durable.refuseWrite();
			}
			super.setAutoCommit(true);
			awaitIfWritten();
			return;
		}
		super.setAutoCommit(autoCommit);
	}

	@Override
	public void commit() throws SQLException {
		fenceIfNotWriter();
		if (this.fenced && !getAutoCommit() && this.transactionBegunAsWriter && !this.readOnly) {
			super.rollback();
			this.transactionBegunAsWriter = false;
			throw this.gate.notWriter(null);
		}
		if (durable() && !getAutoCommit()) {
			commitDurably();
			return;
		}
		super.commit();
		this.transactionBegunAsWriter = !this.fenced;
	}

	/**
	 * Commit (refused, rolled back, while the replica is unreachable), wait until the replica holds the
	 * commit and only then begin the next transaction, which may take the write lock.
	 */
	private void commitDurably() throws SQLException {
		if (mayHaveWritten() && !this.durable.acceptingWrites()) {
			super.rollback();
			mark();
			this.transactionBegunAsWriter = !this.fenced;
			throw this.durable.refuseWrite();
		}
		super.setAutoCommit(true);
		try {
			awaitIfWritten();
		}
		finally {
			super.setAutoCommit(false);
			this.transactionBegunAsWriter = !this.fenced;
		}
	}

	@Override
	public void rollback() throws SQLException {
		fenceIfNotWriter();
		super.rollback();
		this.transactionBegunAsWriter = !this.fenced;
		if (durable()) {
			mark();
		}
	}

	@Override
	public void close() throws SQLException {
		try {
			super.close();
		}
		finally {
			if (this.commits != null) {
				this.commits.close();
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
	 * Called before every statement runs: fences this connection once the gate says no, and keeps
	 * {@code query_only} on once fenced, even if the application turned it off.
	 * @param sql the statement's text, {@code null} for a batch of prepared parameter sets
	 */
	void beforeStatement(String sql) throws SQLException {
		if (this.commits == null) {
			// sqlite-jdbc's constructor applying the configured pragmas
			return;
		}
		refuseCheckpoint(sql);
		if (this.fenced) {
			applyQueryOnly();
		}
		else {
			fenceIfNotWriter();
		}
		if (durable() && this.refusing == this.durable.acceptingWrites()) {
			this.refusing = !this.refusing;
			applyQueryOnly();
		}
		this.schemaChanged |= SchemaStatements.changesSchema(sql);
		if (SchemaStatements.vacuums(sql)) {
			this.commits.vacuumed();
		}
		this.rowChangesAtStatement = this.commits.rowChanges();
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
	 * changed rows (it commits only once they are read, see {@link BufferedRows}).
	 * @param rows the statement's result set
	 * @param sql the statement's text
	 * @return the result set to give the application
	 */
	ResultSet settle(ResultSet rows, String sql) throws SQLException {
		if (rows == null || this.commits == null || !getAutoCommit()) {
			return rows;
		}
		if (this.commits.rowChanges() != this.rowChangesAtStatement || SchemaStatements.returnsRows(sql)) {
			return BufferedRows.of(rows);
		}
		return rows;
	}

	/**
	 * Called after every statement ran, also when it failed (it may have committed before failing):
	 * with durable commits, an auto-commit statement that wrote waits until the replica holds it.
	 */
	void afterStatement() throws SQLException {
		if (durable() && this.commits != null && getAutoCommit()) {
			awaitIfWritten();
		}
	}

	/** Wait for the replica when a commit since the last wait wrote, then mark. */
	private void awaitIfWritten() throws SQLException {
		boolean wrote = this.commits.wroteSinceMark();
		mark();
		if (wrote) {
			this.durable.awaitReplicated();
		}
	}

	private boolean durable() {
		// null while sqlite-jdbc's constructor applies the configured pragmas
		return this.durable != null && this.durable.enabled();
	}

	/**
	 * Whether the open transaction may have written: a hint, taken before it commits, for refusing its
	 * commit while the replica is unreachable (the commit hook tells only once it commits).
	 */
	private boolean mayHaveWritten() throws SQLException {
		return this.schemaChanged || getDatabase().total_changes() != this.changesMark
				|| this.commits.rowChanges() != this.rowChangesAtMark;
	}

	private void mark() throws SQLException {
		if (this.commits == null) {
			return;
		}
		this.changesMark = getDatabase().total_changes();
		this.rowChangesAtMark = this.commits.rowChanges();
		this.schemaChanged = false;
		this.commits.mark();
	}

	/**
	 * Return the exception a failed statement should throw: the gate's when SQLite refused a write
	 * because this connection is fenced.
	 */
	SQLException translate(SQLException ex) {
		if (this.fenced && (ex.getErrorCode() & 0xff) == SQLITE_READONLY && !this.readOnly) {
			return this.gate.notWriter(ex);
		}
		if (this.refusing && (ex.getErrorCode() & 0xff) == SQLITE_READONLY && !this.readOnly) {
			return this.durable.refuseWrite();
		}
		return ex;
	}

	private void fenceIfNotWriter() throws SQLException {
		// the gate is null while sqlite-jdbc's constructor applies the configured pragmas
		if (this.gate != null && !this.fenced && !this.gate.isWriter() && !isClosed()) {
			this.fenced = true;
			applyQueryOnly();
		}
	}

	private void applyQueryOnly() throws SQLException {
		boolean queryOnly = this.readOnly || this.fenced || this.refusing;
		try (Statement statement = new JDBC4Statement(this)) {
			statement.execute("PRAGMA query_only = " + queryOnly);
		}
		getConnectionConfig().setTransactionMode(queryOnly ? SQLiteConfig.TransactionMode.DEFERRED : this.readWriteMode);
	}

}
