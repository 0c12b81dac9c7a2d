package io.github.s3lite.internal.nativeengine;

import java.time.Duration;

import io.github.s3lite.internal.replication.WalPosition;

/**
 * What a native restore did.
 *
 * @param restored whether a database was restored; {@code false} for an empty replica
 * @param generation the generation restored from, or {@code null}
 * @param snapshotIndex the WAL index of the snapshot restored from, or -1
 * @param targetIndex the last WAL index applied (the snapshot's for a snapshot-only restore), or -1
 * @param walEnd where the restored file stands in the replica: the last WAL index applied and the offset
 * its segments end at, or the snapshot's index and offset 0 when no WAL index was applied ({@code null}
 * for an empty replica); the file holds exactly the replica up to there
 * @param end the key of the last object applied ({@link io.github.s3lite.internal.nativeengine.format.RestorePlan#endKey()}),
 * or {@code null} for an empty replica
 * @param bytes the size of the restored database file
 * @param elapsed how long the restore took
 */
public record NativeRestoreResult(boolean restored, String generation, long snapshotIndex, long targetIndex,
		WalPosition walEnd, String end, long bytes, Duration elapsed) {

	static NativeRestoreResult empty(Duration elapsed) {
		return new NativeRestoreResult(false, null, -1, -1, null, null, 0, elapsed);
	}

}
