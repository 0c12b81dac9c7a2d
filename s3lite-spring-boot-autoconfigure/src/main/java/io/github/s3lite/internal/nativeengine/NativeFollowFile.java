package io.github.s3lite.internal.nativeengine;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.s3lite.internal.follow.FollowFile;
import io.github.s3lite.internal.nativeengine.format.GenerationListing;
import io.github.s3lite.internal.nativeengine.format.ReplicaFormat;
import io.github.s3lite.internal.nativeengine.format.ReplicaListing;
import io.github.s3lite.internal.nativeengine.format.RestorePlan;
import io.github.s3lite.internal.nativeengine.format.WalIndexPlan;
import io.github.s3lite.internal.nativeengine.format.WalSegmentInfo;
import io.github.s3lite.internal.replication.WalPosition;
import io.github.s3lite.internal.storage.ReplicaStore;

/**
 * A follow file on a litestream v0.3 replica (which both engines write), at a position of generation,
 * WAL index and offset, with the decoded WAL of that index kept beside it ({@code <file>.wal}).
 * <ul>
 * <li>The probe: one LIST from that position ({@link ReplicaFormat#listFrom}: one request while fewer than
 * 1,000 objects are new); a full listing, which also sees a new generation named before the followed one,
 * when asked for.</li>
 * <li>When the followed generation moved, only the new WAL segments are downloaded and applied
 * ({@link NativeRestore#advance}); a new generation, or a position retention pruned past, is restored in
 * full ({@link NativeRestore#restore(Path, Optional, Path)}, checked with {@code quick_check}).</li>
 * <li>It knows the key of the last object it applied, as a restore does ({@link RestorePlan#endKey()}), so
 * that a promotion can {@linkplain #handOff() take it} for a restore that ended there.</li>
 * </ul>
 */
public final class NativeFollowFile implements FollowFile {

	private static final Logger logger = LoggerFactory.getLogger(NativeFollowFile.class);

	private final Path file;

	private final Path keptWal;

	private final ReplicaStore store;

	private final ReplicaFormat format;

	private Follow follow;

	/**
	 * Create the follow file; nothing is read or written before the first {@link #advance}.
	 * @param file where it lives
	 * @param store the replica, owned by the follow file from now on
	 * @param format the replica's format
	 */
	public NativeFollowFile(Path file, ReplicaStore store, ReplicaFormat format) {
		this.file = file;
		this.keptWal = file.resolveSibling(file.getFileName() + ".wal");
		this.store = store;
		this.format = format;
	}

	@Override
	public Path path() {
		return this.file;
	}

	@Override
	public synchronized WalPosition advance(boolean fullListing) throws IOException {
		Follow current = this.follow;
		if (current != null && !fullListing) {
			Optional<List<WalIndexPlan>> wal = probe(current);
			if (wal.isPresent()) {
				return advance(current, wal.get()).position();
			}
		}
		return advanceFromFullListing(current);
	}

	@Override
	public synchronized Optional<Standing> handOff() throws IOException {
		Follow current = this.follow;
		if (current == null) {
			return Optional.empty();
		}
		try {
			Optional<List<WalIndexPlan>> wal = probe(current);
			return wal.isPresent() ? Optional.of(advance(current, wal.get()).standing()) : Optional.empty();
		}
		finally {
			this.follow = null;
			Files.deleteIfExists(this.keptWal);
		}
	}

	/**
	 * One LIST from the position: the WAL to apply, empty when the file cannot advance from there (a
	 * newer generation, WAL pruned past the position).
	 */
	private Optional<List<WalIndexPlan>> probe(Follow current) throws IOException {
		WalPosition from = current.position();
		ReplicaListing probe = this.format.listFrom(this.store, from);
		if (!current.known().containsAll(keysOutside(probe, from.generation()))) {
			return Optional.empty();
		}
		boolean listed = probe.generations().stream().anyMatch((g) -> g.generation().equals(from.generation()));
		return listed ? this.format.walAfter(probe, from) : Optional.of(List.of());
	}

	private WalPosition advanceFromFullListing(Follow current) throws IOException {
		ReplicaListing listing = this.format.list(this.store);
		Optional<RestorePlan> plan = this.format.planRestore(listing);
		if (plan.isEmpty()) {
			return (current != null) ? current.position() : null;
		}
		Set<String> known = keysOutside(listing, plan.get().generation());
		if (current != null && current.position().generation().equals(plan.get().generation())) {
			Optional<List<WalIndexPlan>> wal = this.format.walAfter(listing, current.position());
			if (wal.isPresent()) {
				this.follow = new Follow(current.position(), current.end(), known);
				return advance(this.follow, wal.get()).position();
			}
		}
		discard();
		NativeRestoreResult restored = restorer().restore(this.file, plan, this.keptWal);
		this.follow = new Follow(restored.walEnd(), restored.end(), known);
		return restored.walEnd();
	}

	private Follow advance(Follow current, List<WalIndexPlan> wal) throws IOException {
		if (wal.isEmpty()) {
			return current;
		}
		try {
			WalPosition reached = restorer().advance(this.file, current.position(), this.keptWal, wal);
			List<WalSegmentInfo> last = wal.get(wal.size() - 1).segments();
			String end = last.isEmpty() ? current.end() : last.get(last.size() - 1).key();
			this.follow = new Follow(reached, end, current.known());
			return this.follow;
		}
		catch (IOException | RuntimeException ex) {
			// part of the WAL may be applied: the next advance restores afresh
			discard();
			throw ex;
		}
	}

	private NativeRestore restorer() {
		return new NativeRestore(this.store, this.format, NativeRestore.DEFAULT_PARALLELISM);
	}

	/** The keys of a listing's snapshots and segments outside a generation. */
	private static Set<String> keysOutside(ReplicaListing listing, String generation) {
		Set<String> keys = new HashSet<>();
		for (GenerationListing other : listing.generations()) {
			if (!other.generation().equals(generation)) {
				other.snapshots().forEach((snapshot) -> keys.add(snapshot.key()));
				other.segments().forEach((segment) -> keys.add(segment.key()));
			}
		}
		return keys;
	}

	private void discard() {
		this.follow = null;
		FollowFile.delete(this.file);
		FollowFile.delete(this.keptWal);
	}

	@Override
	public synchronized void close() {
		discard();
		try {
			this.store.close();
		}
		catch (IOException ex) {
			logger.debug("Could not close the replica store of the follower: {}", ex.getMessage());
		}
	}

	/**
	 * The follow file's state.
	 *
	 * @param position where it stands in the replica
	 * @param end the key of the last object applied, as a restore reports it ({@link RestorePlan#endKey()})
	 * @param known the snapshots and segments of the other generations at the last full listing, which a
	 * probe that lists them again does not take for a move
	 */
	private record Follow(WalPosition position, String end, Set<String> known) {

		Standing standing() {
			return new Standing(this.position, this.end);
		}

	}

}
