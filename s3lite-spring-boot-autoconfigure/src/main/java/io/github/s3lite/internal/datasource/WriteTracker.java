package io.github.s3lite.internal.datasource;

import java.nio.file.Path;

/**
 * What one connection wrote since it last committed, rolled back or waited for the replica: whether a
 * commit appended to the WAL ({@link CommitObserver}, told by SQLite), and hints for a transaction not
 * committed yet (SQLite's change counter, schema statements) used to refuse its commit while the
 * replica is unreachable.
 */
final class WriteTracker implements AutoCloseable {

	private final CommitObserver commits;

	/** {@code total_changes()} at the last mark. */
	private long changesMark;

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
		return this.schemaChanged || totalChanges != this.changesMark;
	}

	/** Forget what was written so far. */
	void mark(long totalChanges) {
		this.changesMark = totalChanges;
		this.schemaChanged = false;
		this.commits.mark();
	}

	@Override
	public void close() {
		this.commits.close();
	}

}
