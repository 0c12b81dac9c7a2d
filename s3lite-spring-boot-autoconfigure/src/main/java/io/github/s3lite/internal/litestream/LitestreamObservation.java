package io.github.s3lite.internal.litestream;

import java.time.Instant;

import io.github.s3lite.internal.replication.WalPosition;

/**
 * One consistent look at litestream: its process, its metrics, the local shadow WAL and the database's
 * WAL, taken together.
 *
 * @param processId pid of the running litestream process, -1 when none runs
 * @param syncCount litestream's local sync count, {@code null} when its metrics could not be read
 * @param errorCount sync and replica errors since replication started (never decreases)
 * @param lastError the last error, or {@code null}
 * @param lastErrorTime when the last error happened, or {@code null}
 * @param localPosition the position captured in the shadow WAL, or {@code null}
 * @param replicaPosition the position known to be in the replica, or {@code null}
 * @param lagBytes WAL bytes captured locally but not known to be in the replica
 * @param walCaptured whether the shadow WAL holds everything in the database's WAL file
 */
record LitestreamObservation(long processId, Long syncCount, long errorCount, String lastError,
		Instant lastErrorTime, WalPosition localPosition, WalPosition replicaPosition, long lagBytes, boolean walCaptured) {

	/**
	 * Return whether a litestream process runs.
	 * @return whether it runs
	 */
	boolean running() {
		return this.processId >= 0;
	}

	/**
	 * Return whether the replica has everything captured locally.
	 * @return whether the replica reached the local position
	 */
	boolean replicaCaughtUp() {
		return this.localPosition != null && this.replicaPosition != null
				&& this.replicaPosition.reached(this.localPosition);
	}

	/**
	 * Return whether the replica provably holds every commit in the database's WAL: litestream runs, has
	 * captured the whole WAL file and uploaded all of it.
	 * @return whether nothing is left to replicate
	 */
	boolean fullyReplicated() {
		return running() && this.walCaptured && replicaCaughtUp();
	}

}
