package io.github.s3lite.internal.datasource;

import java.sql.ResultSet;
import java.sql.SQLException;

import javax.sql.rowset.CachedRowSet;
import javax.sql.rowset.RowSetProvider;

/**
 * Reads the rows of an auto-commit statement that wrote ({@code INSERT … RETURNING}) before the call
 * that ran it returns. SQLite commits such a statement only once it is stepped to its end or reset, that
 * is when the application reads the last row or closes the result set; JDBC helpers close it after
 * they computed their value and ignore errors from {@code close()}. Reading the rows at once moves the
 * commit, the fence check and the durable wait into the call, where their failures are reported.
 */
final class BufferedRows {

	private BufferedRows() {
	}

	/**
	 * Read every row of a result set and close it.
	 * @param live the result set of the statement
	 * @return the rows, independent of the statement
	 * @throws SQLException if reading fails
	 */
	static ResultSet of(ResultSet live) throws SQLException {
		try (ResultSet rows = live) {
			CachedRowSet buffered = RowSetProvider.newFactory().createCachedRowSet();
			buffered.populate(rows);
			return buffered;
		}
	}

}
