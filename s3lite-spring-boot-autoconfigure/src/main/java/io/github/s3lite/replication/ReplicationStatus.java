package io.github.s3lite.replication;

import java.time.Duration;
import java.time.Instant;

/**
 * A snapshot of the replication state, built without network I/O.
 *
 * @param configured whether replication is configured ({@code s3lite.backup-to} set)
 * @param replica the replica URL, never with credentials, or {@code null}
 * @param replicating whether the litestream process is running
 * @param processId pid of the litestream process, or {@code null}
 * @param litestreamVersion the litestream version, or {@code null}
 * @param processStartedAt when the current litestream process started, or {@code null}
 * @param restartCount how often litestream was restarted after exiting unexpectedly
 * @param localPosition the position litestream has captured locally, or {@code null}
 * @param replicaPosition the position known to be in the replica, or {@code null}
 * @param lagBytes WAL bytes captured locally but not yet known in the replica
 * @param inSync whether the replica has everything captured locally
 * @param lastSyncTime last time the replica was observed in sync, or {@code null}
 * @param syncCount litestream's count of local syncs
 * @param syncErrorCount litestream's count of failed syncs, plus replica errors it logged
 * @param lastError the last replication error, or {@code null}
 * @param lastErrorTime when the last error happened, or {@code null}
 */
public record ReplicationStatus(boolean configured, String replica, boolean replicating, Long processId,
		String litestreamVersion, Instant processStartedAt, int restartCount, WalPosition localPosition,
		WalPosition replicaPosition, long lagBytes, boolean inSync, Instant lastSyncTime, long syncCount,
		long syncErrorCount, String lastError, Instant lastErrorTime) {

	/**
	 * The status of a database without replication.
	 */
	public static final ReplicationStatus NOT_CONFIGURED = new ReplicationStatus(false, null, false, null, null, null,
			0, null, null, 0, true, null, 0, 0, null, null);

	/**
	 * Return how long ago the replica was last observed in sync.
	 * @param now the current time
	 * @return the time since the last sync, or {@code null} if it never was
	 */
	public Duration sinceLastSync(Instant now) {
		return (this.lastSyncTime != null) ? Duration.between(this.lastSyncTime, now) : null;
	}

}
