package io.github.s3lite.datasource;

import java.sql.ResultSet;
import java.sql.SQLException;

/**
 * One statement execution run through a connection's write gate.
 *
 * @param <T> the result type
 */
@FunctionalInterface
interface GatedCall<T> {

	T call() throws SQLException;

	/**
	 * Fence the connection if its gate says no, run the call, and translate a write SQLite refused on a
	 * fenced connection into the gate's exception.
	 */
	static <T> T run(ReadOnlyAwareSqliteConnection connection, GatedCall<T> call) throws SQLException {
		return run(connection, false, call);
	}

	/**
	 * As {@link #run(ReadOnlyAwareSqliteConnection, GatedCall)}, then let the connection wait for the
	 * replica after an auto-commit write (durable commits). A statement that left a result set open is
	 * not complete yet and is not waited for.
	 */
	static <T> T run(ReadOnlyAwareSqliteConnection connection, boolean changesSchema, GatedCall<T> call)
			throws SQLException {
		connection.beforeStatement();
		T result;
		try {
			result = call.call();
		}
		catch (SQLException ex) {
			throw connection.translate(ex);
		}
		boolean complete = !(result instanceof ResultSet) && !Boolean.TRUE.equals(result);
		connection.afterStatement(changesSchema, complete);
		return result;
	}

}
