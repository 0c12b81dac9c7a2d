package io.github.s3lite.nativeengine;

import java.time.Duration;

import io.github.s3lite.replication.WalPosition;

/**
 * What a native restore did.
 *
 * @param restored whether a database was restored; {@code false} for an empty replica
 * @param generation the generation restored from, or {@code null}
 * @param snapshotIndex the WAL index of the snapshot restored from, or -1
 * @param targetIndex the last WAL index applied (the snapshot's for a snapshot-only restore), or -1
 * @param walEnd where the segments of the last WAL index applied end (index and offset), or {@code null}
 * when none was applied: the restored file holds exactly the replica up to there
 * @param bytes the size of the restored database file
 * @param elapsed how long the restore took
 */
public record NativeRestoreResult(boolean restored, String generation, long snapshotIndex, long targetIndex,
		WalPosition walEnd, long bytes, Duration elapsed) {

	static NativeRestoreResult empty(Duration elapsed) {
		return new NativeRestoreResult(false, null, -1, -1, null, 0, elapsed);
	}

	/**
	 * Return the last WAL index the restored file holds whole, so that replication may go on with the next
	 * index of the same generation: the last index applied, or the snapshot's index − 1 when none was.
	 * @return the index, -1 for an empty replica
	 */
	public long continuationIndex() {
		return (this.walEnd != null) ? this.walEnd.index() : this.snapshotIndex - 1;
	}

}
