package io.github.s3lite.internal.restore;

import java.nio.file.Path;

import io.github.s3lite.internal.engine.ReplicaFailure;

/**
 * Thrown when the directory of {@code s3lite.path} cannot be created or written to. SQLite and
 * litestream create files next to the database (its WAL, shared-memory file and litestream's meta
 * directory), so the whole directory must be writable.
 */
public class DatabaseDirectoryException extends RestoreException {

	private final Path directory;

	DatabaseDirectoryException(Path directory, String message, Throwable cause) {
		super(message, cause);
		this.directory = directory;
	}

	DatabaseDirectoryException(Path directory, String message) {
		super(message, ReplicaFailure.OTHER);
		this.directory = directory;
	}

	/**
	 * Return the directory that cannot be used.
	 * @return the directory
	 */
	public Path getDirectory() {
		return this.directory;
	}

}
