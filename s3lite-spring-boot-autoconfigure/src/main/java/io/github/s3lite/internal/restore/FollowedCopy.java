package io.github.s3lite.internal.restore;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

import io.github.s3lite.internal.replication.WalPosition;

/**
 * A private copy of the replica that a follower kept caught up (its follow file), which a promotion
 * installs in place of a restore when it stands where that restore would end ({@link ReplicaCatchUp}).
 */
@FunctionalInterface
public interface FollowedCopy {

	/**
	 * Advance the copy once more, from its position only (one LIST), and give it up: the caller may move its
	 * file away, and the follower builds a new one when it follows again.
	 * @return the copy, empty when it has no position or cannot advance from it (a newer generation, WAL
	 * pruned by retention)
	 * @throws IOException when the replica cannot be read or the WAL not applied
	 */
	Optional<Copy> take() throws IOException;

	/**
	 * A copy given up by its follower.
	 *
	 * @param file the database file, in WAL mode, with no connection open
	 * @param position where it stands in the replica, as a restore that reached it reports it
	 * ({@code ReplicationEngine#restoredPosition})
	 * @param end the key of the last object applied, as {@code ReplicationEngine#restoredEnd} names it
	 */
	record Copy(Path file, WalPosition position, String end) {
	}

}
