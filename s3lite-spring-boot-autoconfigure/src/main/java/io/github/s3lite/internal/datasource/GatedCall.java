package io.github.s3lite.internal.datasource;

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
	 * On the shared side of the connection's {@link WriteFence}: fence the connection if its gate says no,
	 * run the call and translate a write SQLite refused on a fenced connection into the gate's exception.
	 * Then, off the fence, let the connection wait for the replica after an auto-commit write (durable
	 * commits), also when the call failed after committing.
	 * @param connection the connection
	 * @param sql the statement's text, {@code null} for a batch of prepared parameter sets
	 * @param call the execution
	 */
	static <T> T run(ReadOnlyAwareSqliteConnection connection, String sql, GatedCall<T> call) throws SQLException {
		ConnectionGuard guard = connection.guard();
		if (guard == null) {
			// sqlite-jdbc's constructor applying the configured pragmas
			return call.call();
		}
		T result = null;
		SQLException failure = null;
		guard.enterFence();
		try {
			guard.beforeStatement(sql);
			try {
				result = call.call();
			}
			catch (SQLException ex) {
				failure = guard.translate(ex);
			}
		}
		finally {
			guard.exitFence();
		}
		try {
			guard.afterStatement();
		}
		catch (SQLException waitFailure) {
			if (failure == null) {
				throw waitFailure;
			}
			failure.addSuppressed(waitFailure);
		}
		if (failure != null) {
			throw failure;
		}
		return result;
	}

}
