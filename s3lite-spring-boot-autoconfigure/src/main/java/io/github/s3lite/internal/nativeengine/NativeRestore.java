package io.github.s3lite.internal.nativeengine;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.s3lite.internal.nativeengine.format.InvalidReplicaException;
import io.github.s3lite.internal.nativeengine.format.ReplicaFormat;
import io.github.s3lite.internal.nativeengine.format.RestorePlan;
import io.github.s3lite.internal.nativeengine.format.WalIndexPlan;
import io.github.s3lite.internal.replication.WalPosition;
import io.github.s3lite.internal.storage.ReplicaStore;

/**
 * Restores a replica into a database file that does not exist yet, without litestream: chooses the
 * generation and snapshot as the replica's format says, downloads the snapshot and the WAL segments
 * in parallel (decoding while downloading), applies each WAL index once with SQLite, checks
 * {@code PRAGMA quick_check} while the one sync of the file runs, and only then moves the result into
 * place. Everything happens in a
 * hidden staging file next to the target, removed on failure; an existing file is never touched.
 */
public final class NativeRestore {

	/** Default number of parallel downloads. */
	public static final int DEFAULT_PARALLELISM = 4;

	private static final Logger logger = LoggerFactory.getLogger(NativeRestore.class);

	private final ReplicaStore store;

	private final ReplicaFormat format;

	private final int parallelism;

	/**
	 * Create a restore.
	 * @param store the replica
	 * @param format the replica's format
	 * @param parallelism how many objects to download at once
	 */
	public NativeRestore(ReplicaStore store, ReplicaFormat format, int parallelism) {
		if (parallelism < 1) {
			throw new IllegalArgumentException("parallelism must be at least 1, not " + parallelism);
		}
		this.store = store;
		this.format = format;
		this.parallelism = parallelism;
	}

	/**
	 * Restore the replica's newest state into {@code target}.
	 * @param target the database file to create; must not exist
	 * @return what was restored; not restored when the replica is empty
	 * @throws FileAlreadyExistsException if {@code target} exists
	 * @throws InvalidReplicaException if the replica cannot form a sound database
	 * @throws IOException on a storage or file error
	 */
	public NativeRestoreResult restore(Path target) throws IOException {
		long started = System.nanoTime();
		Path database = target.toAbsolutePath().normalize();
		if (Files.exists(database, LinkOption.NOFOLLOW_LINKS)) {
			throw new FileAlreadyExistsException(database.toString(), null,
					"a restore never replaces an existing database");
		}
		return restore(database, this.format.planRestore(this.format.list(this.store)), started, null);
	}

	/**
	 * Restore a plan made from this replica's listing into {@code target} (a follower lists the replica
	 * to learn whether it moved, then restores what it listed).
	 * @param target the database file to create; must not exist
	 * @param plan the plan, empty for an empty replica
	 * @return what was restored; not restored when the plan is empty
	 * @throws FileAlreadyExistsException if {@code target} exists
	 * @throws InvalidReplicaException if the replica cannot form a sound database
	 * @throws IOException on a storage or file error (an object of the plan deleted meanwhile included)
	 */
	public NativeRestoreResult restore(Path target, Optional<RestorePlan> plan) throws IOException {
		return restore(target, plan, null);
	}

	/**
	 * Restore a plan into {@code target} and keep the decoded WAL of the last index applied, so that the
	 * database can later {@link #advance} from where it stands (a follower's private copy).
	 * @param target the database file to create; must not exist
	 * @param plan the plan, empty for an empty replica
	 * @param keptWal where to leave the WAL of the last index applied (deleted when none is), or
	 * {@code null} to keep none
	 * @return what was restored; not restored when the plan is empty
	 * @throws FileAlreadyExistsException if {@code target} exists
	 * @throws InvalidReplicaException if the replica cannot form a sound database
	 * @throws IOException on a storage or file error (an object of the plan deleted meanwhile included)
	 */
	public NativeRestoreResult restore(Path target, Optional<RestorePlan> plan, Path keptWal) throws IOException {
		long started = System.nanoTime();
		Path database = target.toAbsolutePath().normalize();
		if (Files.exists(database, LinkOption.NOFOLLOW_LINKS)) {
			throw new FileAlreadyExistsException(database.toString(), null,
					"a restore never replaces an existing database");
		}
		if (keptWal != null) {
			Files.deleteIfExists(keptWal);
		}
		return restore(database, plan, started, keptWal);
	}

	/**
	 * Bring a database restored from this replica forward: download only the WAL segments after where it
	 * stands and apply them, as a restore applies the WAL after its snapshot. The first index, when it is
	 * the position's own, is applied whole again (its beginning from {@code keptWal}, its new segments
	 * downloaded): SQLite checks a WAL's frames from its header on, and frames applied twice leave each
	 * page as the last one wrote it. Nothing is synced or checked with {@code quick_check}: SQLite checks
	 * every frame's checksum as it applies the WAL, and the file is private, rebuilt after a crash.
	 * @param database the database, at {@code from}, in WAL mode, with no connection open
	 * @param from where it stands
	 * @param keptWal the decoded WAL of {@code from}'s index up to its offset, as {@link #restore(Path,
	 * Optional, Path)} or the previous advance left it; replaced by the WAL of the last index applied
	 * @param indexes the WAL after {@code from} ({@link ReplicaFormat#walAfter})
	 * @return where the database stands now
	 * @throws InvalidReplicaException if the segments do not form committed WAL
	 * @throws IOException on a storage or file error; the database may then hold part of the WAL, and
	 * must be restored afresh
	 */
	public WalPosition advance(Path database, WalPosition from, Path keptWal, List<WalIndexPlan> indexes)
			throws IOException {
		if (indexes.isEmpty()) {
			return from;
		}
		RestoreDownloads.WalPrefix prefix = (indexes.get(0).index() == from.index() && from.offset() > 0)
				? new RestoreDownloads.WalPrefix(keptWal, from.offset()) : null;
		try (RestoreDownloads downloads = new RestoreDownloads(this.store, this.format, from.generation(), null,
				indexes, database, prefix, this.parallelism)) {
			return applyWal(downloads, database, from, indexes, keptWal);
		}
	}

	private NativeRestoreResult restore(Path database, Optional<RestorePlan> plan, long started, Path keptWal)
			throws IOException {
		if (plan.isEmpty()) {
			// DEBUG: the caller (ReplicaRestorer, ReplicaCatchUp) tells what an empty replica means at INFO
			logger.debug("Replica {} is empty: nothing to restore into {}", this.store.location(), database);
			return NativeRestoreResult.empty(elapsedSince(started));
		}
		RestorePlan restore = plan.get();
		logger.info("Restoring {} from {} ({} generation {}, snapshot index {}, WAL indexes up to {})", database,
				this.store.location(), this.format.name(), restore.generation(), hex(restore.snapshot().index()),
				hex(restore.targetIndex()));
		Files.createDirectories(database.getParent());
		Path staging = database.resolveSibling("." + database.getFileName() + ".s3lite-restore-" + UUID.randomUUID());
		WalPosition walEnd;
		try {
			walEnd = build(restore, staging, keptWal);
			removeStaleSidecars(database);
			moveIntoPlace(staging, database);
		}
		finally {
			Files.deleteIfExists(staging);
			Files.deleteIfExists(WalApplier.walOf(staging));
			Files.deleteIfExists(WalApplier.shmOf(staging));
		}
		NativeRestoreResult result = new NativeRestoreResult(true, restore.generation(), restore.snapshot().index(),
				restore.targetIndex(), walEnd, restore.endKey(), Files.size(database), elapsedSince(started));
		logger.info("Restored {} bytes into {} in {} ms", result.bytes(), database, result.elapsed().toMillis());
		return result;
	}

	/** Build the database in the staging file; return where it stands in the replica. */
	private WalPosition build(RestorePlan plan, Path staging, Path keptWal) throws IOException {
		long started = System.nanoTime();
		long snapshot;
		WalPosition walEnd;
		try (RestoreDownloads downloads = new RestoreDownloads(this.store, this.format, plan, staging,
				this.parallelism)) {
			downloads.awaitSnapshot();
			snapshot = System.nanoTime();
			walEnd = applyWal(downloads, staging, new WalPosition(plan.generation(), plan.snapshot().index(), 0),
					plan.walIndexes(), keptWal);
		}
		long wal = System.nanoTime();
		String check = checkWhileSyncing(staging);
		logger.debug("Restore of {}: snapshot {} ms, WAL {} ms, check and sync {} ms", staging,
				(snapshot - started) / 1_000_000, (wal - snapshot) / 1_000_000, (System.nanoTime() - wal) / 1_000_000);
		if (!"ok".equals(check)) {
			throw new InvalidReplicaException("The database restored from " + this.store.location() + " generation "
					+ plan.generation() + " fails PRAGMA quick_check: " + check);
		}
		Files.deleteIfExists(WalApplier.walOf(staging));
		Files.deleteIfExists(WalApplier.shmOf(staging));
		return walEnd;
	}

	/**
	 * Apply WAL indexes, in order, as their segments arrive: the one step a restore (after its snapshot)
	 * and an {@link #advance} share.
	 * @param keptWal where to copy the last index's WAL before it is applied, or {@code null}
	 * @return where the database stands after the last index
	 */
	private static WalPosition applyWal(RestoreDownloads downloads, Path database, WalPosition from,
			List<WalIndexPlan> indexes, Path keptWal) throws IOException {
		WalPosition walEnd = from;
		for (int i = 0; i < indexes.size(); i++) {
			WalIndexPlan index = indexes.get(i);
			Path wal = downloads.awaitWal(index);
			walEnd = new WalPosition(from.generation(), index.index(), Files.size(wal));
			if (keptWal != null && i == indexes.size() - 1) {
				Files.copy(wal, keptWal, StandardCopyOption.REPLACE_EXISTING);
			}
			WalApplier.apply(database, wal);
			logger.debug("Applied WAL index {}/{}", from.generation(), hex(index.index()));
		}
		return walEnd;
	}

	/**
	 * Sync the staging file (written without syncs so far) on another thread while SQLite checks it: the
	 * one sync waits for the disk, the check for the CPU, so the two overlap.
	 */
	private static String checkWhileSyncing(Path staging) throws IOException {
		CompletableFuture<Void> sync = CompletableFuture.runAsync(() -> {
			try (FileChannel channel = FileChannel.open(staging, StandardOpenOption.WRITE)) {
				channel.force(true);
			}
			catch (IOException ex) {
				throw new UncheckedIOException(ex);
			}
		}, (task) -> {
			Thread thread = new Thread(task, "s3lite-restore-sync");
			thread.setDaemon(true);
			thread.start();
		});
		try {
			return WalApplier.quickCheck(staging);
		}
		finally {
			try {
				sync.join();
			}
			catch (CompletionException ex) {
				throw (ex.getCause() instanceof UncheckedIOException io) ? io.getCause()
						: new IOException("Could not sync " + staging, ex.getCause());
			}
		}
	}

	/** A {@code -wal} or {@code -shm} without its database would be replayed into the restored one. */
	private static void removeStaleSidecars(Path database) throws IOException {
		for (Path sidecar : new Path[] { WalApplier.walOf(database), WalApplier.shmOf(database) }) {
			if (Files.deleteIfExists(sidecar)) {
				logger.warn("Deleted {}, left without its database, before restoring", sidecar);
			}
		}
	}

	private static void moveIntoPlace(Path staging, Path database) throws IOException {
		try {
			// a hard link fails atomically if the target appeared meanwhile; a rename would replace it
			Files.createLink(database, staging);
		}
		catch (FileAlreadyExistsException ex) {
			throw ex;
		}
		catch (UnsupportedOperationException | FileSystemException ex) {
			Files.move(staging, database);
		}
		try (FileChannel directory = FileChannel.open(database.getParent(), StandardOpenOption.READ)) {
			directory.force(true);
		}
		catch (IOException ex) {
			// not every platform can sync a directory
		}
	}

	private static Duration elapsedSince(long started) {
		return Duration.ofNanos(System.nanoTime() - started);
	}

	private static String hex(long index) {
		return String.format("%08x", index);
	}

}
