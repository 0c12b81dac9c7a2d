package io.github.s3lite.internal.config;

import java.nio.file.Path;
import java.time.Duration;

/**
 * Validated {@code s3lite.litestream.*} settings.
 *
 * @param binary explicit binary, or {@code null} to use the bundled one or the PATH
 * @param cacheDir directory the bundled binary is extracted to
 * @param syncInterval replica upload interval
 * @param monitorInterval database poll interval
 * @param snapshotInterval snapshot interval, {@link Duration#ZERO} for none
 * @param retention replica retention
 * @param checkpointInterval passive checkpoint interval
 * @param minCheckpointPageCount WAL pages that trigger a passive checkpoint
 * @param maxCheckpointPageCount WAL pages that force a RESTART checkpoint, 0 for never
 * @param shutdownTimeout bound of litestream's own shutdown after SIGTERM
 * @param restartMaxBackoff longest wait between restarts
 * @param nativeRestore whether the startup restore and the replica check run natively in the JVM
 * instead of with the litestream binary
 */
public record LitestreamOptions(Path binary, Path cacheDir, Duration syncInterval, Duration monitorInterval,
		Duration snapshotInterval, Duration retention, Duration checkpointInterval, int minCheckpointPageCount,
		int maxCheckpointPageCount, Duration shutdownTimeout, Duration restartMaxBackoff, boolean nativeRestore) {

}
