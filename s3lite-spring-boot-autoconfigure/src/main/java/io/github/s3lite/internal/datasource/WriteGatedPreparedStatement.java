package io.github.s3lite.internal.datasource;

import java.sql.ResultSet;
import java.sql.SQLException;

import org.sqlite.jdbc4.JDBC4PreparedStatement;

/**
 * A prepared statement of a {@link ReadOnlyAwareSqliteConnection} that lets the connection fence itself
 * before each execution and report a write SQLite refused on a fenced connection as the gate's
 * exception, and that commits an auto-commit write returning rows inside the call (see
 * {@link BufferedRows}).
 */
class WriteGatedPreparedStatement extends JDBC4PreparedStatement {

	private final ReadOnlyAwareSqliteConnection connection;

	private final String sql;

	/** The rows of the last execution, when they were read at once. */
	private ResultSet buffered;

	WriteGatedPreparedStatement(ReadOnlyAwareSqliteConnection connection, String sql) throws SQLException {
		super(connection, sql);
		this.connection = connection;
		this.sql = sql;
	}

	@Override
	public boolean execute() throws SQLException {
		return gated(() -> {
			boolean hasRows = super.execute();
			if (hasRows) {
				ResultSet live = super.getResultSet();
				ResultSet settled = this.connection.settle(live, this.sql);
				if (settled != live) {
					this.buffered = settled;
				}
			}
			return hasRows;
		});
	}

	@Override
	public ResultSet executeQuery() throws SQLException {
		return gated(() -> this.connection.settle(super.executeQuery(), this.sql));
	}

	@Override
	public ResultSet getResultSet() throws SQLException {
		return (this.buffered != null) ? this.buffered : super.getResultSet();
	}

	@Override
	public boolean getMoreResults() throws SQLException {
		this.buffered = null;
		return super.getMoreResults();
	}

	@Override
	public void close() throws SQLException {
		this.buffered = null;
		super.close();
	}

	@Override
	public int executeUpdate() throws SQLException {
		return gated(super::executeUpdate);
	}

	@Override
	public long executeLargeUpdate() throws SQLException {
		return gated(super::executeLargeUpdate);
	}

	@Override
	public int[] executeBatch() throws SQLException {
		return gated(() -> this.connection.batch(super::executeBatch));
	}

	@Override
	public long[] executeLargeBatch() throws SQLException {
		return gated(() -> this.connection.batch(super::executeLargeBatch));
	}

	private <T> T gated(GatedCall<T> call) throws SQLException {
		this.buffered = null;
		return GatedCall.run(this.connection, this.sql, call);
	}

}
