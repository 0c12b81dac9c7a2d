package io.github.s3lite.internal.restore;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.s3lite.internal.engine.ReplicationEngine;
import io.github.s3lite.internal.replication.WalPosition;

/**
 * Lets replication continue the generation a database was restored from: the engine records where the
 * restored staging file stands ({@link ReplicationEngine#adoptRestored}) as state next to it, and that
 * state follows the file when it is moved over the database. An engine that records none moves nothing.
 */
final class EngineLocalState {

	private static final Logger logger = LoggerFactory.getLogger(EngineLocalState.class);

	private EngineLocalState() {
	}

	/**
	 * Have the engine record where a restored staging file stands, if the restore reported it and the
	 * file may continue its generation; the engine forgets the position either way.
	 * @param engine the engine that restored
	 * @param staging the restored file, not yet moved into place
	 * @param continues whether replication may continue the restored generation
	 */
	static void adopt(ReplicationEngine engine, Path staging, boolean continues) {
		Optional<WalPosition> position = engine.restoredPosition(staging);
		if (continues) {
			position.ifPresent((restored) -> engine.adoptRestored(staging, restored));
		}
		else if (position.isPresent()) {
			logger.info("Replicating {} starts a new generation: it may not continue generation {}", staging,
					position.get().generation());
		}
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
