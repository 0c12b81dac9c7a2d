package io.github.s3lite.internal.restore;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.s3lite.internal.config.ReplicaUrl;
import io.github.s3lite.internal.engine.ReplicaAccessException;
import io.github.s3lite.internal.engine.ReplicaFailure;
import io.github.s3lite.internal.engine.ReplicationEngine;

/**
 * Restores the local database from its replica through the replication engine, with the semantics of
 * the Go original: only when the local file is missing; an empty replica is a logged no-op; an
 * existing local file is never touched. The engine restores into a staging file next to the database,
 * which is moved into place only when complete, so a failure leaves nothing at the database path.
 */
public final class ReplicaRestorer {

	private static final Logger logger = LoggerFactory.getLogger(ReplicaRestorer.class);

	private final ReplicationEngine engine;

	private final Path database;

	private final ReplicaUrl replica;

	private final Duration timeout;

	private final String property;

	private final ContinuationRule continuation;

	/**
	 * Create a restorer.
	 * @param engine the replication engine
	 * @param database the file to restore to
	 * @param replica the replica to restore from
	 * @param timeout the longest time the restore may take
	 * @param property the property naming the replica, for error messages
	 */
	public ReplicaRestorer(ReplicationEngine engine, Path database, ReplicaUrl replica, Duration timeout,
			String property) {
		this(engine, database, replica, timeout, property, ContinuationRule.ALWAYS);
	}

	/**
	 * Create a restorer whose restored database continues its generation only as a rule allows.
	 * @param engine the replication engine
	 * @param database the file to restore to
	 * @param replica the replica to restore from
	 * @param timeout the longest time the restore may take
	 * @param property the property naming the replica, for error messages
	 * @param continuation whether replication may continue the restored generation
	 */
	public ReplicaRestorer(ReplicationEngine engine, Path database, ReplicaUrl replica, Duration timeout,
			String property, ContinuationRule continuation) {
		this.continuation = continuation;
		this.engine = engine;
		this.database = database;
		this.replica = replica;
		this.timeout = timeout;
		this.property = property;
	}

	/**
	 * Restore the database if the local file is missing.
	 * @return what happened
	 * @throws RestoreException if the replica cannot be read; the local path is left empty
	 */
	public RestoreResult restore() {
		if (Files.exists(this.database)) {
			logger.info("Local database {} exists; not restoring from {}", this.database, this.replica);
			return new RestoreResult(RestoreResult.Outcome.LOCAL_FILE_EXISTS, this.replica.toString(), 0,
					Duration.ZERO);
		}
		long started = System.nanoTime();
		logger.info("Restoring {} from {}", this.database, this.replica);
		Path staging = suffixed(this.database.resolveSibling("." + this.database.getFileName()), ".s3lite-restore");
		try {
			DatabaseDirectory.prepare(this.database);
			removeStaleState();
			deleteQuietly(leftovers(staging));
			boolean restored = new VerifiedRestore(this.engine, this.replica, this.timeout, this.continuation)
				.restoreInto(staging, leftovers(staging));
			Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
			if (!restored) {
				logger.info("Replica {} is empty; starting a new database at {}", this.replica, this.database);
				return new RestoreResult(RestoreResult.Outcome.REPLICA_EMPTY, this.replica.toString(), 0, elapsed);
			}
			if (Files.exists(suffixed(staging, "-wal")) && Files.size(suffixed(staging, "-wal")) > 0) {
				throw new RestoreException("The restore left a WAL next to " + staging
						+ "; refusing to install an incomplete database", ReplicaFailure.OTHER);
			}
			long bytes = Files.size(staging);
			move(staging, this.database);
			EngineLocalState.follow(this.engine, staging, this.database);
			logger.info("Restored {} bytes from {} in {} ms", bytes, this.replica, elapsed.toMillis());
			return new RestoreResult(RestoreResult.Outcome.RESTORED, this.replica.toString(), bytes, elapsed);
		}
		catch (ReplicaAccessException ex) {
			throw new RestoreException("Could not restore " + this.database + " from " + this.replica + " ("
					+ this.property + "): " + ex.getFailure().describe(this.replica, this.property) + " "
					+ ex.getMessage(), ex.getFailure(), ex);
		}
		catch (IOException ex) {
			throw new RestoreException("Could not restore " + this.database + " from " + this.replica + ": " + ex, ex);
		}
		finally {
			deleteQuietly(leftovers(staging));
		}
	}

	private List<Path> leftovers(Path staging) {
		List<Path> leftovers = new ArrayList<>(List.of(staging, suffixed(staging, ".tmp"),
				suffixed(staging, ".tmp-wal"), suffixed(staging, ".tmp-shm"), suffixed(staging, "-wal"),
				suffixed(staging, "-shm")));
		leftovers.addAll(this.engine.localState(staging));
		return leftovers;
	}

	/**
	 * Remove what a missing database left behind: its WAL and shared-memory files, and the state the
	 * engine keeps next to it (litestream's meta directory, whose shadow WAL would not match the restored
	 * database).
	 */
	private void removeStaleState() throws IOException {
		List<Path> stale = new ArrayList<>(List.of(suffixed(this.database, "-wal"), suffixed(this.database, "-shm")));
		stale.addAll(this.engine.localState(this.database));
		List<Path> removed = new ArrayList<>();
		for (Path path : stale) {
			if (Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
				deleteRecursively(path);
				removed.add(path);
			}
		}
		if (!removed.isEmpty()) {
			logger.info("Removed stale state of the missing database {}: {}", this.database,
					removed.stream().map(Path::toString).collect(Collectors.joining(", ")));
		}
	}

	private static void deleteRecursively(Path path) throws IOException {
		if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
			try (Stream<Path> children = Files.list(path)) {
				for (Path child : (Iterable<Path>) children::iterator) {
					deleteRecursively(child);
				}
			}
		}
		Files.deleteIfExists(path);
	}

	private static void deleteQuietly(List<Path> files) {
		for (Path file : files) {
			try {
				Files.deleteIfExists(file);
			}
			catch (IOException ex) {
				logger.debug("Could not delete {}", file, ex);
			}
		}
	}

	private static void move(Path source, Path target) throws IOException {
		try {
			Files.move(source, target, StandardCopyOption.ATOMIC_MOVE);
		}
		catch (AtomicMoveNotSupportedException ex) {
			Files.move(source, target);
		}
	}

	static Path suffixed(Path file, String suffix) {
		return file.resolveSibling(file.getFileName() + suffix);
	}

}
