package io.github.s3lite.datasource;

import java.nio.file.Path;

/**
 * What one connection wrote since it last committed, rolled back or waited for the replica: whether a
 * commit appended to the WAL ({@link CommitObserver}, told by SQLite), and hints for a transaction not
 * committed yet (row changes, schema statements) used to refuse its commit while the replica is
 * unreachable.
 */
final class WriteTracker implements AutoCloseable {

	private final CommitObserver commits;

	/** {@code total_changes()} at the last mark. */
	private long changesMark;

	/** The update hook's count at the last mark. */
	private long rowChangesAtMark;

	/** The update hook's count when the running statement began. */
	private long rowChangesAtStatement;

	private boolean schemaChanged;

	WriteTracker(Path database) {
		this.commits = new CommitObserver(database);
	}

	CommitObserver observer() {
		return this.commits;
	}

	/** Note a statement about to run. */
	void statementStarting(String sql) {
		this.schemaChanged |= SchemaStatements.changesSchema(sql);
		if (SchemaStatements.vacuums(sql)) {
			this.commits.vacuumed();
		}
		this.rowChangesAtStatement = this.commits.rowChanges();
	}

	/** Whether the running statement changed a row so far. */
	boolean statementChangedRows() {
		return this.commits.rowChanges() != this.rowChangesAtStatement;
	}

	/** Whether a commit since the last mark appended to the WAL. */
	boolean committedWrites() {
		return this.commits.wroteSinceMark();
	}

	/**
	 * Whether the open transaction may have written: a hint taken before it commits (the commit hook
	 * tells only once it commits).
	 */
	boolean mayHaveWritten(long totalChanges) {
		return this.schemaChanged || totalChanges != this.changesMark
				|| this.commits.rowChanges() != this.rowChangesAtMark;
	}

	/** Forget what was written so far. */
	void mark(long totalChanges) {
		this.changesMark = totalChanges;
		this.rowChangesAtMark = this.commits.rowChanges();
		this.schemaChanged = false;
		this.commits.mark();
	}

	@Override
	public void close() {
		this.commits.close();
	}

}
