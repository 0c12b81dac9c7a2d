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
 * Moves the state an engine's restore left next to a staging file (for the native engine, where the
 * restored file stands in its generation) to the database the staging file was just moved over, so that
 * replication can continue the restored generation; an engine that leaves none moves nothing.
 */
final class EngineLocalState {

	private EngineLocalState() {
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
