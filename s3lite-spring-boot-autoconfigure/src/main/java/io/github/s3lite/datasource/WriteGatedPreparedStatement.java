package io.github.s3lite.datasource;

import java.sql.ResultSet;
import java.sql.SQLException;

import org.sqlite.jdbc4.JDBC4PreparedStatement;

/**
 * A prepared statement of a {@link ReadOnlyAwareSqliteConnection} that lets the connection fence itself
 * before each execution and report a write SQLite refused on a fenced connection as the gate's
 * exception.
 */
class WriteGatedPreparedStatement extends JDBC4PreparedStatement {

	private final ReadOnlyAwareSqliteConnection connection;

	private final boolean changesSchema;

	WriteGatedPreparedStatement(ReadOnlyAwareSqliteConnection connection, String sql) throws SQLException {
		super(connection, sql);
		this.connection = connection;
		this.changesSchema = SchemaStatements.changesSchema(sql);
	}

	@Override
	public boolean execute() throws SQLException {
		return gated(super::execute);
	}

	@Override
	public ResultSet executeQuery() throws SQLException {
		return gated(super::executeQuery);
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
		return gated(super::executeBatch);
	}

	@Override
	public long[] executeLargeBatch() throws SQLException {
		return gated(super::executeLargeBatch);
	}

	private <T> T gated(GatedCall<T> call) throws SQLException {
		return GatedCall.run(this.connection, this.changesSchema, call);
	}

}
