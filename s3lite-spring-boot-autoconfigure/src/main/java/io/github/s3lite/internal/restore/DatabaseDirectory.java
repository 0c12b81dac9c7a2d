package io.github.s3lite.internal.restore;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The directory holding the database, its WAL and litestream's meta directory.
 */
public final class DatabaseDirectory {

	private DatabaseDirectory() {
	}

	/**
	 * Create the database's directory if needed and check that s3lite can write to it.
	 * @param database the database file
	 * @throws DatabaseDirectoryException naming {@code s3lite.path} when the directory cannot be used
	 */
	public static void prepare(Path database) {
		Path directory = database.getParent();
		try {
			Files.createDirectories(directory);
		}
		catch (IOException ex) {
			throw new DatabaseDirectoryException(directory, "Cannot create the directory of s3lite.path (" + directory
					+ "): " + ex + ". Point s3lite.path at a writable location.", ex);
		}
		if (!Files.isWritable(directory)) {
			throw new DatabaseDirectoryException(directory, "The directory of s3lite.path (" + directory + ") is not "
					+ "writable; SQLite and litestream create files next to the database. Make it writable or point "
					+ "s3lite.path elsewhere.");
		}
	}

}
