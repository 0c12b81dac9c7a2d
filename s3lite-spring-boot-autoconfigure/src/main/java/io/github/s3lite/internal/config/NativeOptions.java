package io.github.s3lite.internal.config;

import java.time.Duration;

/**
 * Validated settings of the native replication engine ({@code s3lite.native.*}).
 *
 * @param syncInterval the longest a committed transaction waits before the background upload; at
 * most one upload per interval while the database changes, none while it is idle
 * @param snapshotInterval how often a full snapshot is written, {@link Duration#ZERO} for none
 * @param retention how long older generations are kept in the replica
 * @param maxWalSize the bound on the local WAL, in bytes, that in-process checkpoints keep
 * @param shutdownTimeout bound of the final upload when replication stops
 */
public record NativeOptions(Duration syncInterval, Duration snapshotInterval, Duration retention, long maxWalSize,
		Duration shutdownTimeout) {

}
