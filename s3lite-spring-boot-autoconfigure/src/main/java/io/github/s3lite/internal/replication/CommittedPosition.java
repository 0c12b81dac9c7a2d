package io.github.s3lite.internal.replication;

import io.github.s3lite.replication.ReplicaPosition;
import io.github.s3lite.replication.ReplicationStatus;

/**
 * Replication that tells where a commit will be in the replica as soon as it is committed: read now from
 * the local WAL, without waiting for the engine to capture or upload it. A follower whose readers reached
 * that position sees every transaction committed before the call (read-your-writes); the status's
 * {@link ReplicationStatus#localPosition()} is the engine's last observation and may predate a commit.
 */
public interface CommittedPosition {

	/**
	 * Return the replica position that holds every transaction committed before this call, once the
	 * replica has caught up. No network I/O.
	 * @return the position, {@code null} when replication does not run or has no generation yet
	 */
	ReplicaPosition committedPosition();

}
