/**
 * A follower that follows: while this instance is a follower under the single-writer lease, its
 * readers' database is brought up to the replica's newest state, every
 * {@code s3lite.follower.refresh-interval} and on demand
 * ({@link io.github.s3lite.internal.follow.FollowerRefresher}).
 */
package io.github.s3lite.internal.follow;
