package io.github.s3lite.internal.datasource;

import java.time.Duration;

import io.github.s3lite.replication.ReplicaPosition;

/**
 * Brings the database a follower's readers see up to the replica's newest state, now or until it
 * reached a position.
 */
public interface FollowerRefresh {

	/**
	 * Refresh now, unless this instance does not follow.
	 * @return the replica position the readers' database has reached, {@code null} when this instance
	 * does not follow or the replica is empty
	 * @throws io.github.s3lite.replication.ReplicationException when the replica cannot be read
	 */
	ReplicaPosition refresh();

	/**
	 * Return whether this instance follows now: its readers read a copy of the replica.
	 * @return whether it follows
	 */
	boolean following();

	/**
	 * Return the position the readers' database has reached, as published (no I/O).
	 * @return the position, {@code null} while not following or before the first publication
	 */
	ReplicaPosition publishedPosition();

	/**
	 * Wait, refreshing as needed, until the readers' database reached a position.
	 * @param position the position
	 * @param timeout the longest wait; {@link Duration#ZERO} looks at the published position only
	 * @return whether it was reached; {@code true} at once when this instance does not follow
	 */
	boolean awaitPosition(ReplicaPosition position, Duration timeout);

}
