package io.github.s3lite.replication;

import java.time.Duration;

/**
 * Continuous replication of the local database to its replica.
 */
public interface Replication {

	/**
	 * Block until the replica holds every transaction committed before this call.
	 * @param timeout the longest time to wait
	 * @throws ReplicationException on timeout, when replication is not running or when the replica
	 * reports errors; the local database is never affected
	 */
	void sync(Duration timeout);

	/**
	 * Return the replication status as last observed. Does no network I/O.
	 * @return the status
	 */
	ReplicationStatus status();

	/**
	 * Stop replicating; idempotent.
	 */
	void stop();

	/**
	 * Stop replicating at once, without a final upload, a checkpoint or a snapshot, aborting uploads in
	 * flight: this instance was fenced and nothing it does may reach the replica any more. What was
	 * committed but not uploaded stays in the local database, and replication started again later ships
	 * it. Idempotent. The default calls {@link #stop()}, which suits only replication that uploads nothing
	 * when it stops.
	 */
	default void halt() {
		stop();
	}

	/**
	 * Bring the database this instance reads up to the replica's newest state now, and return the position
	 * it reached: on a follower under the single-writer lease, a refresh (see
	 * {@code s3lite.follower.refresh-interval}); on the writer, and by default, nothing to do: the position
	 * known to be in the replica.
	 * @return the position, {@code null} when the replica is empty or replication is off
	 * @throws ReplicationException when the replica cannot be read
	 */
	default ReplicaPosition refresh() {
		return status().replicatedPosition();
	}

	/**
	 * Register a listener told about every sync. Replication that never syncs ignores it.
	 * @param listener the listener
	 */
	default void addSyncListener(SyncListener listener) {
	}

	/**
	 * Replication that does nothing, for a database without {@code s3lite.backup-to}.
	 */
	Replication NONE = new Replication() {

		@Override
		public void sync(Duration timeout) {
		}

		@Override
		public ReplicationStatus status() {
			return ReplicationStatus.NOT_CONFIGURED;
		}

		@Override
		public void stop() {
		}

		@Override
		public String toString() {
			return "Replication.NONE";
		}

	};

}
