package io.github.s3lite.internal.follow;

import java.io.IOException;
import java.nio.file.Path;

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
	 * Return the file, which {@link #advance} has written when it returned a position.
	 * @return the file
	 */
	Path path();

	/**
	 * Delete the file and forget its position, so the next advance restores it afresh; then close the
	 * replica store it reads.
	 */
	@Override
	void close();

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
