package io.github.s3lite.internal.replication;

import java.time.Duration;
import io.github.s3lite.replication.DurableCommitStats;
import io.github.s3lite.replication.NotReplicatedException;

/**
 * Replication that can make a commit wait until the replica holds it ({@code s3lite.durable-commits}).
 * Waiting commits are shipped together: a commit that arrives while an upload is in flight waits for
 * the next upload, which starts as soon as the one in flight ends and ships everything committed by
 * then (group commit, no timer). Implementations must answer {@link #acceptingWrites()} without I/O.
 */
public interface DurableReplication {

	/**
	 * Block until the replica holds every transaction committed before this call.
	 * @param timeout the longest time to wait
	 * @throws NotReplicatedException (committed locally) when no upload succeeded within the timeout;
	 * from then on {@link #acceptingWrites()} answers {@code false} until an upload succeeds
	 */
	void awaitReplicated(Duration timeout) throws NotReplicatedException;

	/**
	 * Return whether new writes are accepted: {@code false} while uploads for commits are failing, so
	 * that writes fail fast instead of queuing behind the timeout.
	 * @return whether the replica is believed reachable
	 */
	boolean acceptingWrites();

	/**
	 * Count a write refused because the replica is unreachable and return its exception.
	 * @return the exception (not committed locally), naming the last failure
	 */
	NotReplicatedException refuseWrite();

	/**
	 * Return the counters.
	 * @return the counters
	 */
	DurableCommitStats durableCommitStats();

}
