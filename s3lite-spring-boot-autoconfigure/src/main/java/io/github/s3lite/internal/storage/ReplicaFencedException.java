package io.github.s3lite.internal.storage;

import java.io.IOException;

/**
 * A replica write refused before it was sent, because this instance no longer holds the single-writer
 * lease (it is fenced): nothing it does may reach the replica its successor owns.
 */
public final class ReplicaFencedException extends IOException {

	private static final long serialVersionUID = 1L;

	ReplicaFencedException(String message) {
		super(message);
	}

}
