package io.github.s3lite.internal.restore;

import java.nio.file.Path;

import io.github.s3lite.internal.config.ReplicaUrl;
import io.github.s3lite.internal.engine.ReplicaAccessException;
import io.github.s3lite.internal.engine.ReplicationEngine;

/**
 * Checks at startup that the backup replica can be used, so that a missing bucket or rejected
 * credentials fail startup instead of surfacing later as replication errors. An unreachable endpoint
 * only logs a warning (the engine's): the app starts on its local file and replication catches up when
 * the endpoint returns.
 */
public final class ReplicaCheck {

	private ReplicaCheck() {
	}

	/**
	 * Check the replica.
	 * @param engine the replication engine
	 * @param database the database the replica belongs to
	 * @param replica the backup replica
	 * @throws RestoreException for a missing bucket or rejected credentials
	 */
	public static void check(ReplicationEngine engine, Path database, ReplicaUrl replica) {
		try {
			engine.checkReplica(database, replica);
		}
		catch (ReplicaAccessException ex) {
			throw new RestoreException("Cannot use the replica " + replica + " (s3lite.backup-to): "
					+ ex.getFailure().describe(replica, "s3lite.backup-to") + " " + ex.getMessage(), ex.getFailure(), ex);
		}
	}

}
