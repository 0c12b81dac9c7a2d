package io.github.s3lite.restore;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;

import io.github.s3lite.engine.ReplicationEngine;

/**
 * Lets replication continue the generation a database was restored from: the engine records where the
 * restored staging file stands ({@link ReplicationEngine#adoptRestored}) as state next to it, and that
 * state follows the file when it is moved over the database. An engine that records none moves nothing.
 */
final class EngineLocalState {

	private EngineLocalState() {
	}

	/**
	 * Have the engine record where a restored staging file stands, if the restore reported it.
	 * @param engine the engine that restored
	 * @param staging the restored file, not yet moved into place
	 */
	static void adopt(ReplicationEngine engine, Path staging) {
		engine.restoredPosition(staging).ifPresent((position) -> engine.adoptRestored(staging, position));
	}

	/**
	 * Move the engine's state of {@code staging} to {@code database}, replacing what is there.
	 * @param engine the engine that restored
	 * @param staging the file the engine restored into, already moved to {@code database}
	 * @param database the database
	 * @throws IOException on a file error
	 */
	static void follow(ReplicationEngine engine, Path staging, Path database) throws IOException {
		List<Path> from = engine.localState(staging);
		List<Path> to = engine.localState(database);
		for (int i = 0; i < Math.min(from.size(), to.size()); i++) {
			if (Files.exists(from.get(i), LinkOption.NOFOLLOW_LINKS)) {
				try {
					Files.move(from.get(i), to.get(i), StandardCopyOption.ATOMIC_MOVE,
							StandardCopyOption.REPLACE_EXISTING);
				}
				catch (AtomicMoveNotSupportedException ex) {
					Files.move(from.get(i), to.get(i), StandardCopyOption.REPLACE_EXISTING);
				}
			}
		}
	}

}
