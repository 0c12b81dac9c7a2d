package io.github.s3lite.internal.datasource;

import java.sql.SQLException;

/**
 * Decides whether this instance may write through s3lite's {@code DataSource}. Consulted by every
 * s3lite connection before each statement, at {@code commit()} and when a transaction begins; it must
 * therefore answer without I/O. Once it says no, connections turn {@code PRAGMA query_only} on, begin
 * transactions deferred, and refuse commits of read-write transactions that were open when it
 * changed its answer.
 */
public interface WriteGate {

	/**
	 * A gate that always allows writes: no lease.
	 */
	WriteGate ALWAYS_WRITER = new WriteGate() {

		@Override
		public boolean isWriter() {
			return true;
		}

		@Override
		public SQLException notWriter(SQLException cause) {
			throw new IllegalStateException("Always the writer");
		}

		@Override
		public String toString() {
			return "WriteGate.ALWAYS_WRITER";
		}

	};

	/**
	 * Return whether this instance may write now.
	 * @return {@code true} while this instance is the writer
	 */
	boolean isWriter();

	/**
	 * Return the exception a refused write fails with.
	 * @param cause what SQLite reported, or {@code null} when s3lite refused the write itself
	 * @return the exception, naming the current writer when known
	 */
	SQLException notWriter(SQLException cause);

	/**
	 * Run an action every time this instance stops being the writer (not at shutdown); with the lease it
	 * may become the writer again and be fenced again. Gates that never change their answer ignore it.
	 * @param action the action, run on a thread of the gate's choosing
	 */
	default void whenFenced(Runnable action) {
	}

}
