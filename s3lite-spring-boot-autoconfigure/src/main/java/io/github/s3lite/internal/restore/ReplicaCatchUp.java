package io.github.s3lite.internal.restore;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.s3lite.internal.config.ReplicaUrl;
import io.github.s3lite.internal.engine.ReplicationEngine;

/**
 * Replaces a stale local database with the newest state of its replica, for a follower that became the
 * writer: the engine restores into a staging file next to the database, or, when the follower's
 * {@link FollowedCopy} stands where that restore would end, the copy takes the staging file's place
 * ({@link FollowedCopyAdoption}); then the database's {@code -wal} and {@code -shm} files and the
 * engine's local state are removed, the file is moved over the database atomically, and the engine's
 * record of where it stands follows it (so that replication continues the restored generation). Nothing
 * may have the database open meanwhile. An empty replica leaves the local file as it is (only the
 * engine's state is removed, so replication starts afresh).
 */
public final class ReplicaCatchUp {

	private static final Logger logger = LoggerFactory.getLogger(ReplicaCatchUp.class);

	private final ReplicationEngine engine;

	private final Path database;

	private final ReplicaUrl replica;

	private final Duration timeout;

	private final ContinuationRule continuation;

	private boolean keepReplaced;

	private FollowedCopy followed;

	/**
	 * Create the catch-up.
	 * @param engine the engine that restores
	 * @param database the local database
	 * @param replica the replica the previous writer replicated to
	 * @param timeout the longest the restore may take
	 */
	public ReplicaCatchUp(ReplicationEngine engine, Path database, ReplicaUrl replica, Duration timeout) {
		this(engine, database, replica, timeout, ContinuationRule.ALWAYS);
	}

	/**
	 * Create the catch-up, whose restored database continues its generation only as a rule allows.
	 * @param engine the engine that restores
	 * @param database the local database
	 * @param replica the replica the previous writer replicated to
	 * @param timeout the longest the restore may take
	 * @param continuation whether replication may continue the restored generation
	 */
	public ReplicaCatchUp(ReplicationEngine engine, Path database, ReplicaUrl replica, Duration timeout,
			ContinuationRule continuation) {
		this.continuation = continuation;
		this.engine = engine;
		this.database = database;
		this.replica = replica;
		this.timeout = timeout;
	}

	/**
	 * Keep the replaced database and its WAL aside ({@code <db>.s3lite-replaced-<time>}) instead of
	 * deleting them: they may hold writes that are in no replica.
	 * @return this catch-up
	 */
	public ReplicaCatchUp keepingReplacedFile() {
		this.keepReplaced = true;
		return this;
	}

	/**
	 * Install a follower's copy of the replica instead of restoring, when it stands where the restore
	 * would end; restore otherwise.
	 * @param copy the follower's copy
	 * @return this catch-up
	 */
	public ReplicaCatchUp from(FollowedCopy copy) {
		this.followed = copy;
		return this;
	}

	/**
	 * Replace the local database with the replica's newest state.
	 * @return the bytes restored or installed, 0 when the replica is empty
	 * @throws RestoreException when the replica cannot be restored; the local database is left as it was
	 */
	public long replace() {
		long started = System.nanoTime();
		Optional<FollowedCopy.Copy> copy = (this.followed != null)
				? new FollowedCopyAdoption(this.engine, this.replica, this.continuation).prepare(this.followed)
				: Optional.empty();
		if (copy.isPresent()) {
			try {
				long bytes = install(copy.get().file());
				logger.info("Caught up with {} from the follow file at {} in {} ms: installed it as {} ({} bytes, no "
						+ "restore)", this.replica, copy.get().position(), (System.nanoTime() - started) / 1_000_000,
						this.database, bytes);
				return bytes;
			}
			catch (IOException ex) {
				throw new RestoreException("Could not install the follow file " + copy.get().file() + " as "
						+ this.database + ": " + ex, ex);
			}
		}
		return restore(started);
	}

	private long restore(long started) {
		Path staging = ReplicaRestorer.suffixed(this.database.resolveSibling("." + this.database.getFileName()),
				".s3lite-catch-up");
		List<Path> leftovers = new ArrayList<>(List.of(staging, ReplicaRestorer.suffixed(staging, "-wal"),
				ReplicaRestorer.suffixed(staging, "-shm"), ReplicaRestorer.suffixed(staging, ".tmp"),
				ReplicaRestorer.suffixed(staging, ".tmp-wal"), ReplicaRestorer.suffixed(staging, ".tmp-shm")));
		leftovers.addAll(this.engine.localState(staging));
		try {
			deleteAll(leftovers);
			boolean restored = new VerifiedRestore(this.engine, this.replica, this.timeout, this.continuation)
				.restoreInto(staging, leftovers);
			List<Path> stale = new ArrayList<>(this.engine.localState(this.database));
			if (!restored) {
				deleteAll(stale);
				logger.info("Replica {} is empty; keeping the local database {}", this.replica, this.database);
				return 0;
			}
			Path stagingWal = ReplicaRestorer.suffixed(staging, "-wal");
			if (Files.exists(stagingWal) && Files.size(stagingWal) > 0) {
				throw new RestoreException("The restore left a WAL next to " + staging
						+ "; refusing to install an incomplete database", io.github.s3lite.internal.engine.ReplicaFailure.OTHER);
			}
			long bytes = install(staging);
			logger.info("Caught up with {} by a restore: replaced {} with {} restored bytes in {} ms", this.replica,
					this.database, bytes, (System.nanoTime() - started) / 1_000_000);
			return bytes;
		}
		catch (IOException ex) {
			throw new RestoreException("Could not catch up " + this.database + " with " + this.replica + ": " + ex, ex);
		}
		finally {
			try {
				deleteAll(leftovers);
			}
			catch (IOException ex) {
				logger.debug("Could not delete the catch-up leftovers next to {}", this.database, ex);
			}
		}
	}

	/**
	 * Move a file that holds the replica's newest state over the database, with the engine's state beside
	 * it; the database's own WAL, shared memory and engine state go (or are kept aside).
	 */
	private long install(Path source) throws IOException {
		if (this.keepReplaced) {
			keepAside();
		}
		List<Path> stale = new ArrayList<>(this.engine.localState(this.database));
		stale.add(ReplicaRestorer.suffixed(this.database, "-wal"));
		stale.add(ReplicaRestorer.suffixed(this.database, "-shm"));
		deleteAll(stale);
		long bytes = Files.size(source);
		try {
			Files.move(source, this.database, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
		}
		catch (AtomicMoveNotSupportedException ex) {
			Files.move(source, this.database, StandardCopyOption.REPLACE_EXISTING);
		}
		EngineLocalState.follow(this.engine, source, this.database);
		return bytes;
	}

	private void keepAside() throws IOException {
		Path kept = ReplicaRestorer.suffixed(this.database,
				".s3lite-replaced-" + DateTimeFormatter.ofPattern("yyyyMMdd'T'HHmmss'Z'").withZone(ZoneOffset.UTC)
					.format(Instant.now()));
		// renamed, not copied (a database can be large); the staging file takes its place right after
		Path wal = ReplicaRestorer.suffixed(this.database, "-wal");
		if (Files.exists(wal)) {
			Files.move(wal, ReplicaRestorer.suffixed(kept, "-wal"));
		}
		Files.move(this.database, kept);
		logger.warn("Kept the replaced local database aside as {} (with its WAL, if any): it may hold writes that "
				+ "are in no replica; open it with sqlite3 to recover them, then delete it", kept);
	}

	static void deleteAll(List<Path> paths) throws IOException {
		for (Path path : paths) {
			if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
				try (Stream<Path> tree = Files.walk(path)) {
					for (Path child : (Iterable<Path>) tree.sorted(Comparator.reverseOrder())::iterator) {
						Files.deleteIfExists(child);
					}
				}
			}
			else {
				Files.deleteIfExists(path);
			}
		}
	}

}
