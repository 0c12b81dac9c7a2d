package io.github.s3lite.datasource;

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
		connection.beforeStatement();
		try {
			return call.call();
		}
		catch (SQLException ex) {
			throw connection.translate(ex);
		}
	}

}
