package io.github.s3lite.internal.follow;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.s3lite.internal.datasource.SqliteConnectionSource;

/**
 * The copies of a follow file that a follower publishes to its readers, {@code .<db>.s3lite-follow-<n>}:
 * each has its own name (and its own {@code -wal} and {@code -shm}), is written only before it is
 * published, and is deleted once it is retired and no connection to it is open. The names of a previous
 * run's follower, left by a crash, are deleted when the copies are created.
 */
final class PublishedCopies {

	private static final Logger logger = LoggerFactory.getLogger(PublishedCopies.class);

	static final String FOLLOW_INFIX = ".s3lite-follow";

	private final SqliteConnectionSource connections;

	private final Path database;

	private final AtomicLong copies = new AtomicLong();

	private final List<Path> retired = new CopyOnWriteArrayList<>();

	PublishedCopies(SqliteConnectionSource connections) {
		this.connections = connections;
		this.database = connections.primaryDatabase();
		deleteLeftovers();
	}

	/** The path of the follow file itself. */
	Path followFile() {
		return this.database.resolveSibling("." + this.database.getFileName() + FOLLOW_INFIX);
	}

	/**
	 * Copy a file to a new name.
	 * @param source the follow file
	 * @return the copy, not published yet
	 * @throws IOException when the copy fails (nothing is left behind)
	 */
	Path copyOf(Path source) throws IOException {
		Path copy = this.database
			.resolveSibling("." + this.database.getFileName() + FOLLOW_INFIX + "-" + this.copies.incrementAndGet());
		FollowFile.delete(copy);
		try {
			Files.copy(source, copy);
			return copy;
		}
		catch (IOException | RuntimeException ex) {
			FollowFile.delete(copy);
			throw ex;
		}
	}

	/** A copy readers no longer get: deleted once no connection to it is open. */
	void retire(Path copy) {
		this.retired.add(copy);
		deleteRetired();
	}

	/** Delete the retired copies no connection holds. */
	void deleteRetired() {
		for (Path copy : this.retired) {
			if (this.connections.openConnections(copy) == 0) {
				FollowFile.delete(copy);
				this.retired.remove(copy);
			}
		}
	}

	private void deleteLeftovers() {
		Path directory = this.database.getParent();
		if (directory == null || !Files.isDirectory(directory)) {
			return;
		}
		try (DirectoryStream<Path> leftovers = Files.newDirectoryStream(directory,
				"." + this.database.getFileName() + FOLLOW_INFIX + "*")) {
			for (Path leftover : leftovers) {
				Files.deleteIfExists(leftover);
			}
		}
		catch (IOException ex) {
			logger.debug("Could not delete the copies a previous follower of {} left: {}", this.database,
					ex.getMessage());
		}
	}

}
