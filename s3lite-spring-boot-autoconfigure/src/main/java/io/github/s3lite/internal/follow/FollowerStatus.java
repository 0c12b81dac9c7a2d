package io.github.s3lite.internal.follow;

import java.time.Instant;

import io.github.s3lite.replication.ReplicaPosition;

/**
 * What a follower's readers see.
 *
 * @param position the replica position of the database they read
 * @param checkedAt when the replica last held nothing newer than that position (the start of the last
 * refresh that reached the replica's newest state)
 * @param failing whether the last refresh failed
 */
public record FollowerStatus(ReplicaPosition position, Instant checkedAt, boolean failing) {

}
