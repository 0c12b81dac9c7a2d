package io.github.s3lite.internal.datasource;

import java.sql.SQLException;
import java.sql.Statement;

import org.sqlite.SQLiteConfig;
import org.sqlite.jdbc4.JDBC4Connection;
import org.sqlite.jdbc4.JDBC4Statement;

/**
 * Whether one connection may write, and how its transactions begin: read-only as the application set
 * it ({@code setReadOnly}), fenced while its {@link WriteGate} says no, refusing while the replica of
 * durable commits is unreachable. Any of them turns {@code PRAGMA query_only} on and makes transactions
 * begin deferred. A connection is fenced as soon as it sees the gate say no and writes again once the
 * gate says yes with no transaction open; a transaction begun as a writer remembers whether it was
 * fenced while open.
 */
final class WriteMode {

	private final JDBC4Connection connection;

	private final SQLiteConfig.TransactionMode readWriteMode;

	private final WriteGate gate;

	private boolean readOnly;

	private boolean fenced;

	private boolean refusing;

	private boolean transactionBegunAsWriter;

	private boolean transactionFenced;

	WriteMode(JDBC4Connection connection, WriteGate gate) {
		this.connection = connection;
		this.readWriteMode = connection.getConnectionConfig().getTransactionMode();
		this.gate = gate;
	}

	boolean readOnly() {
		return this.readOnly;
	}

	boolean fenced() {
		return this.fenced;
	}

	boolean refusing() {
		return this.refusing;
	}

	void setReadOnly(boolean readOnly) throws SQLException {
		if (readOnly != this.readOnly) {
			this.readOnly = readOnly;
			apply();
		}
	}

	/**
	 * Fence the connection while the gate says no; once it says yes again, and no transaction is open,
	 * let it write again.
	 * @param autoCommit whether no transaction is open
	 */
	void followGate(boolean autoCommit) throws SQLException {
		if (this.connection.isClosed()) {
			return;
		}
		boolean writer = this.gate.isWriter();
		if (!writer && !this.fenced) {
			this.fenced = true;
			this.transactionFenced = !autoCommit;
			apply();
		}
		else if (writer && this.fenced && autoCommit) {
			this.fenced = false;
			apply();
		}
	}

	/** Keep {@code query_only} on while fenced, even if the application turned it off. */
	void reassertWhileFenced() throws SQLException {
		if (this.fenced) {
			apply();
		}
	}

	/** Refuse writes, or accept them again (durable commits' replica unreachable, or reachable again). */
	void setRefusing(boolean refusing) throws SQLException {
		if (refusing != this.refusing) {
			this.refusing = refusing;
			apply();
		}
	}

	void transactionBegun() {
		this.transactionBegunAsWriter = !this.fenced;
		this.transactionFenced = false;
	}

	/**
	 * Whether the open transaction must not commit: it began as a writer, is not read-only, and this
	 * instance was fenced while it was open.
	 * @param fencedMeanwhile whether a fence was taken since it began
	 */
	boolean mustNotCommit(boolean fencedMeanwhile) {
		return (this.fenced || this.transactionFenced || fencedMeanwhile) && this.transactionBegunAsWriter
				&& !this.readOnly;
	}

	private void apply() throws SQLException {
		boolean queryOnly = this.readOnly || this.fenced || this.refusing;
		try (Statement statement = new JDBC4Statement(this.connection)) {
			statement.execute("PRAGMA query_only = " + queryOnly);
		}
		this.connection.getConnectionConfig()
			.setTransactionMode(queryOnly ? SQLiteConfig.TransactionMode.DEFERRED : this.readWriteMode);
	}

}
