package io.github.s3lite.datasource;

import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;

import org.sqlite.SQLiteConfig;
import org.sqlite.jdbc4.JDBC4Connection;

/**
 * An sqlite-jdbc connection that honours {@link #setReadOnly(boolean)} the way Spring uses it for
 * {@code @Transactional(readOnly = true)}, before it begins the transaction: the following
 * transactions begin {@code DEFERRED} and {@code PRAGMA query_only} is on (a transaction already open
 * keeps the lock it began with). sqlite-jdbc itself refuses the call, so a read-only transaction
 * would begin with the configured lock ({@code BEGIN IMMEDIATE} by default), hold the write lock for
 * as long as it lasts, and make every writer waiting longer than {@code s3lite.busy-timeout} fail
 * with {@code SQLITE_BUSY}. A deferred read transaction in WAL mode never blocks writers.
 */
class ReadOnlyAwareSqliteConnection extends JDBC4Connection {

	private final SQLiteConfig.TransactionMode readWriteMode;

	private boolean readOnly;

	ReadOnlyAwareSqliteConnection(String url, String fileName, Properties properties) throws SQLException {
		super(url, fileName, properties);
		this.readWriteMode = getConnectionConfig().getTransactionMode();
	}

	@Override
	public void setReadOnly(boolean readOnly) throws SQLException {
		if (readOnly == this.readOnly) {
			return;
		}
		try (Statement statement = createStatement()) {
			statement.execute("PRAGMA query_only = " + readOnly);
		}
		getConnectionConfig().setTransactionMode(readOnly ? SQLiteConfig.TransactionMode.DEFERRED : this.readWriteMode);
		this.readOnly = readOnly;
	}

	@Override
	public boolean isReadOnly() {
		return this.readOnly || super.isReadOnly();
	}

}
