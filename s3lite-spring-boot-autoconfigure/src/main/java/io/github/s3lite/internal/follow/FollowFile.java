package io.github.s3lite.internal.follow;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.slf4j.LoggerFactory;
import java.util.Optional;

import io.github.s3lite.internal.replication.WalPosition;
import io.github.s3lite.replication.ReplicaPosition;

/**
 * A follower's private copy of the replica, which no connection opens, kept at a known replica position
 * by an engine that reads the replica's format.
 */
public interface FollowFile extends AutoCloseable {

	/**
	 * Bring the file to the replica's newest state, incrementally when it can.
	 * @param fullListing whether to list the whole replica rather than only from the file's position
	 * @return the position reached, {@code null} for an empty replica
	 * @throws IOException when the replica cannot be read; the file is then rebuilt at the next call
	 */
	ReplicaPosition advance(boolean fullListing) throws IOException;

	/**
	 * Advance the file once more, incrementally only (one LIST from its position), and hand it off: its
	 * position is forgotten, so the caller may move the file away, and the next {@link #advance} builds
	 * it afresh.
	 * @return where the file stands, empty when it has no position or cannot advance incrementally (a
	 * newer generation, WAL pruned past its position)
	 * @throws IOException when the replica cannot be read or the WAL not applied; the file is forgotten
	 */
	Optional<Standing> handOff() throws IOException;

	/**
	 * Return the file, which {@link #advance} has written when it returned a position.
	 * @return the file
	 */
	Path path();

	/**
	 * Delete the file and forget its position, so the next advance restores afresh; then close the
	 * replica store it reads.
	 */
	@Override
	void close();

	/**
	 * Where a follow file stands, as a restore that reached the same state would report it.
	 *
	 * @param position the generation, the last WAL index applied and the offset its segments end at
	 * @param end the key of the last object applied (a WAL segment, or the snapshot)
	 */
	record Standing(WalPosition position, String end) {
	}

	/**
	 * Delete a follower's private database file (the follow file, a published copy, the kept WAL) with its
	 * {@code -wal}, {@code -shm} and {@code -journal}; a file that cannot be deleted is left for the next
	 * start, which deletes the follower's leftovers.
	 * @param file the file
	 */
	static void delete(Path file) {
		for (String suffix : new String[] { "", "-wal", "-shm", "-journal" }) {
			try {
				Files.deleteIfExists(file.resolveSibling(file.getFileName() + suffix));
			}
			catch (IOException ex) {
				LoggerFactory.getLogger(FollowFile.class).debug("Could not delete {}{}: {}", file, suffix, ex.getMessage());
			}
		}
	}

	/**
	 * Opens the follow file of a database.
	 */
	@FunctionalInterface
	interface Factory {

		/**
		 * Open the follow file at a path.
		 * @param path where the file lives
		 * @return the follow file, not advanced yet
		 */
		FollowFile open(Path path);

	}

}
