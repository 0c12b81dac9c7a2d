package io.github.s3lite.internal.nativeengine.format;

import java.io.IOException;

/**
 * Thrown when a replica's objects cannot form a restorable database: no snapshot in the chosen
 * generation, a missing WAL index, a WAL index not starting at offset 0, or segments with gaps.
 */
public class InvalidReplicaException extends IOException {

	private static final long serialVersionUID = 1L;

	/**
	 * Create a new instance.
	 * @param message what is wrong, naming the replica and the objects
	 */
	public InvalidReplicaException(String message) {
		super(message);
	}

}
