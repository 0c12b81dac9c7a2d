package io.github.s3lite.datasource;

import java.sql.PreparedStatement;
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
 * With {@link DurableCommits} enabled, a commit that wrote (SQLite's {@code total_changes()} moved, or
 * a {@code CREATE}/{@code DROP}/{@code ALTER} ran) returns only once the replica holds it: explicit
 * {@code commit()}, {@code setAutoCommit(true)} and auto-commit statements. The next transaction begins
 * only after the wait, so a waiting connection holds no lock. While the replica is unreachable, writes
 * are refused like a fenced connection's ({@code query_only}), failing fast.
 */
class ReadOnlyAwareSqliteConnection extends JDBC4Connection {

	private static final int SQLITE_READONLY = 8;

	private final SQLiteConfig.TransactionMode readWriteMode;

	private final WriteGate gate;

	private boolean readOnly;

	private boolean fenced;

	private boolean transactionBegunAsWriter;

	private final DurableCommits durable;

	/** {@code total_changes()} when this connection last committed, rolled back or waited. */
	private long changesMark;

	private boolean schemaChanged;

	/** Whether writes are refused because the replica is unreachable (durable commits). */
	private boolean refusing;

	ReadOnlyAwareSqliteConnection(String url, String fileName, Properties properties, WriteGate gate)
			throws SQLException {
		this(url, fileName, properties, gate, DurableCommits.OFF);
	}

	ReadOnlyAwareSqliteConnection(String url, String fileName, Properties properties, WriteGate gate,
			DurableCommits durable) throws SQLException {
		super(url, fileName, properties);
		this.readWriteMode = getConnectionConfig().getTransactionMode();
		this.gate = gate;
		this.durable = durable;
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
			boolean wrote = wroteSinceMark();
			if (wrote && !this.durable.acceptingWrites()) {
				super.rollback();
				super.setAutoCommit(true);
				mark();
				throw this.durable.refuseWrite();
			}
			super.setAutoCommit(true);
			mark();
			if (wrote) {
				this.durable.awaitReplicated();
			}
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
		if (durable() && !getAutoCommit() && wroteSinceMark()) {
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
		if (!this.durable.acceptingWrites()) {
			super.rollback();
			mark();
			this.transactionBegunAsWriter = !this.fenced;
			throw this.durable.refuseWrite();
		}
		super.setAutoCommit(true);
		mark();
		try {
			this.durable.awaitReplicated();
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
	 */
	void beforeStatement() throws SQLException {
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
	}

	/**
	 * Called after every statement ran: with durable commits, an auto-commit statement that wrote waits
	 * until the replica holds it.
	 * @param changesSchema whether the statement was a CREATE, DROP or ALTER
	 * @param complete whether the statement finished (no result set left open)
	 */
	void afterStatement(boolean changesSchema, boolean complete) throws SQLException {
		if (!durable()) {
			return;
		}
		this.schemaChanged |= changesSchema;
		if (complete && getAutoCommit() && wroteSinceMark()) {
			mark();
			this.durable.awaitReplicated();
		}
	}

	private boolean durable() {
		// null while sqlite-jdbc's constructor applies the configured pragmas
		return this.durable != null && this.durable.enabled();
	}

	private boolean wroteSinceMark() throws SQLException {
		return this.schemaChanged || getDatabase().total_changes() != this.changesMark;
	}

	private void mark() throws SQLException {
		this.changesMark = getDatabase().total_changes();
		this.schemaChanged = false;
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
