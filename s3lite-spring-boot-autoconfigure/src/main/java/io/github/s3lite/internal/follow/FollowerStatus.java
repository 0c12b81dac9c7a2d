package io.github.s3lite.internal.follow;

import java.time.Duration;
import java.time.Instant;

import io.github.s3lite.replication.ReplicaPosition;

/**
 * What a follower's readers see.
 *
 * @param position the replica position of the database they read, {@code null} before the first refresh
 * that found the replica holding something (they read what this instance restored at start, or wrote as
 * the writer)
 * @param checkedAt when the replica last held nothing newer than that position (the start of the last
 * refresh that reached the replica's newest state); before the first such refresh, when this instance
 * started following
 * @param failing whether the last refresh failed
 */
public record FollowerStatus(ReplicaPosition position, Instant checkedAt, boolean failing) {

	/**
	 * Return the age of the data the readers see: how long since the replica was last seen holding
	 * nothing newer.
	 * @param now the current time
	 * @return the age, never negative
	 */
	public Duration age(Instant now) {
		Duration age = Duration.between(this.checkedAt, now);
		return age.isNegative() ? Duration.ZERO : age;
	}

}
