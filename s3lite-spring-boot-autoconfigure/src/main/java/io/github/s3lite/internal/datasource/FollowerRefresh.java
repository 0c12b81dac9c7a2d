package io.github.s3lite.internal.datasource;

import io.github.s3lite.replication.ReplicaPosition;

/**
 * Brings the database a follower's readers see up to the replica's newest state, now.
 */
@FunctionalInterface
public interface FollowerRefresh {

	/**
	 * Refresh now, unless this instance does not follow.
	 * @return the replica position the readers' database has reached, {@code null} when this instance
	 * does not follow or the replica is empty
	 * @throws io.github.s3lite.replication.ReplicationException when the replica cannot be read
	 */
	ReplicaPosition refresh();

}
