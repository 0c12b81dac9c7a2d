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
	 * Fence the connection if its gate says no, run the call, translate a write SQLite refused on a
	 * fenced connection into the gate's exception, and let the connection wait for the replica after an
	 * auto-commit write (durable commits), also when the call failed after committing.
	 * @param connection the connection
	 * @param sql the statement's text, {@code null} for a batch of prepared parameter sets
	 * @param call the execution
	 */
	static <T> T run(ReadOnlyAwareSqliteConnection connection, String sql, GatedCall<T> call) throws SQLException {
		connection.beforeStatement(sql);
		T result;
		try {
			result = call.call();
		}
		catch (SQLException ex) {
			SQLException failure = connection.translate(ex);
			try {
				connection.afterStatement();
			}
			catch (SQLException waitFailure) {
				failure.addSuppressed(waitFailure);
			}
			throw failure;
		}
		connection.afterStatement();
		return result;
	}

}
