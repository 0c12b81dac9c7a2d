package io.github.s3lite.nativeengine;

import java.time.Duration;

/**
 * What a native restore did.
 *
 * @param restored whether a database was restored; {@code false} for an empty replica
 * @param generation the generation restored from, or {@code null}
 * @param snapshotIndex the WAL index of the snapshot restored from, or -1
 * @param targetIndex the last WAL index applied (the snapshot's for a snapshot-only restore), or -1
 * @param bytes the size of the restored database file
 * @param elapsed how long the restore took
 */
public record NativeRestoreResult(boolean restored, String generation, long snapshotIndex, long targetIndex,
		long bytes, Duration elapsed) {

	static NativeRestoreResult empty(Duration elapsed) {
		return new NativeRestoreResult(false, null, -1, -1, 0, elapsed);
	}

}
