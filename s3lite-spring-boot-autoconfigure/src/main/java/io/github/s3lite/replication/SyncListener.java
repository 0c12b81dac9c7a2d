package io.github.s3lite.replication;

import java.time.Duration;

/**
 * Told about every completed or failed {@link Replication#sync(Duration)}, e.g. to time it.
 */
@FunctionalInterface
public interface SyncListener {

	/**
	 * Called after a sync.
	 * @param elapsed how long it took
	 * @param failure the failure, or {@code null} when the replica caught up
	 */
	void onSync(Duration elapsed, ReplicationException failure);

}
