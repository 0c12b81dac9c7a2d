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
 */
class ReadOnlyAwareSqliteConnection extends JDBC4Connection {

	private static final int SQLITE_READONLY = 8;

	private final SQLiteConfig.TransactionMode readWriteMode;

	private final WriteGate gate;

	private boolean readOnly;

	private boolean fenced;

	private boolean transactionBegunAsWriter;

	ReadOnlyAwareSqliteConnection(String url, String fileName, Properties properties, WriteGate gate)
			throws SQLException {
		super(url, fileName, properties);
		this.readWriteMode = getConnectionConfig().getTransactionMode();
		this.gate = gate;
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
		super.commit();
		this.transactionBegunAsWriter = !this.fenced;
	}

	@Override
	public void rollback() throws SQLException {
		fenceIfNotWriter();
		super.rollback();
		this.transactionBegunAsWriter = !this.fenced;
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
	}

	/**
	 * Return the exception a failed statement should throw: the gate's when SQLite refused a write
	 * because this connection is fenced.
	 */
	SQLException translate(SQLException ex) {
		if (this.fenced && (ex.getErrorCode() & 0xff) == SQLITE_READONLY && !this.readOnly) {
			return this.gate.notWriter(ex);
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
		boolean queryOnly = this.readOnly || this.fenced;
		try (Statement statement = new JDBC4Statement(this)) {
			statement.execute("PRAGMA query_only = " + queryOnly);
		}
		getConnectionConfig().setTransactionMode(queryOnly ? SQLiteConfig.TransactionMode.DEFERRED : this.readWriteMode);
	}

}
