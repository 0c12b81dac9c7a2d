package io.github.s3lite.internal.datasource;

import java.sql.SQLException;

/**
 * One connection's passage through the {@link WriteFence}: it enters the shared side once however
 * deeply sqlite-jdbc nests its calls, and remembers how many fences were taken when the open
 * transaction began and when the running statement entered, so that a commit can tell whether this
 * instance was fenced since. Without a fence (a gate that never fences) it does nothing.
 */
final class FencePass {

	private final WriteFence fence;

	private int depth;

	private long fencesAtEnter;

	private long fencesAtBegin;

	FencePass(WriteFence fence) {
		this.fence = fence;
	}

	void enter(ReadOnlyAwareSqliteConnection connection) throws SQLException {
		if (this.depth++ == 0 && this.fence != null) {
			try {
				this.fencesAtEnter = this.fence.enter(connection);
			}
			catch (SQLException ex) {
				this.depth--;
				throw ex;
			}
		}
	}

	void exit(ReadOnlyAwareSqliteConnection connection) {
		if (--this.depth == 0 && this.fence != null) {
			this.fence.exit(connection);
		}
	}

	void transactionBegun() {
		this.fencesAtBegin = (this.fence != null) ? this.fence.fences() : 0;
	}

	/** Whether a fence was taken since the open transaction began. */
	boolean fencedSinceTransactionBegan() {
		return this.fence != null && this.fence.fences() != this.fencesAtBegin;
	}

	/** Whether a fence was taken since the running statement entered. */
	boolean fencedSinceEntered() {
		return this.fence != null && this.fence.fences() != this.fencesAtEnter;
	}

}
