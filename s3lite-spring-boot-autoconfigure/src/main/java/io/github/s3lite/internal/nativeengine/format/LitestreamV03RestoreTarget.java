package io.github.s3lite.internal.nativeengine.format;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeMap;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.s3lite.internal.replication.WalPosition;

/**
 * Chooses what to restore exactly as litestream v0.3.13 does without {@code -generation},
 * {@code -index} or {@code -timestamp} ({@code Replica.CalcRestoreTarget}, {@code SnapshotIndexAt},
 * {@code walSegmentMap}):
 * <ul>
 * <li>the generation whose newest object (snapshot or segment) has the latest last-modified time; on
 * a tie the first in name order;</li>
 * <li>in it, the snapshot with the latest last-modified time (not the highest index); on a tie the
 * lowest index;</li>
 * <li>then every WAL index from the snapshot's to the highest in the generation, each of which must
 * exist and start at offset 0.</li>
 * </ul>
 * Unlike litestream, it skips a generation s3lite marked superseded
 * ({@link LitestreamV03Format#SUPERSEDED_MARK}) while another generation holds a snapshot. Where
 * litestream v0.3.13 fails on a replica it could restore, this is more lenient and says so in the log: a newest snapshot above every WAL index (litestream panics) restores the snapshot alone,
 * and WAL indexes below the snapshot are not checked.
 */
final class LitestreamV03RestoreTarget {

	private static final Logger logger = LoggerFactory.getLogger(LitestreamV03RestoreTarget.class);

	private LitestreamV03RestoreTarget() {
	}

	static Optional<RestorePlan> plan(ReplicaListing listing) throws InvalidReplicaException {
		// a generation marked superseded is skipped while another one can be restored: objects a stale
		// writer uploads into it late must not make it the newest
		boolean skipSuperseded = listing.generations()
			.stream()
			.anyMatch((generation) -> !listing.superseded().contains(generation.generation())
					&& !generation.snapshots().isEmpty());
		GenerationListing target = null;
		Instant targetUpdatedAt = Instant.MIN;
		for (GenerationListing generation : listing.generations()) {
			if (skipSuperseded && listing.superseded().contains(generation.generation())) {
				continue;
			}
			Optional<Instant> updatedAt = generation.updatedAt();
			if (updatedAt.isPresent() && updatedAt.get().isAfter(targetUpdatedAt)) {
				target = generation;
				targetUpdatedAt = updatedAt.get();
			}
		}
		if (target == null) {
			return Optional.empty();
		}
		SnapshotInfo snapshot = newestSnapshot(target);
		return Optional.of(new RestorePlan(target.generation(), snapshot, walIndexesFrom(target, snapshot)));
	}

	/**
	 * The segments of {@code from}'s generation from {@code from} on: the rest of its WAL index from its
	 * offset, then every later index from offset 0, without a gap (as {@link #walIndexesFrom} requires).
	 */
	static Optional<List<WalIndexPlan>> walAfter(ReplicaListing listing, WalPosition from) {
		GenerationListing generation = listing.generations()
			.stream()
			.filter((candidate) -> candidate.generation().equals(from.generation()))
			.findFirst()
			.orElse(null);
		if (generation == null) {
			return Optional.empty();
		}
		TreeMap<Long, List<WalSegmentInfo>> byIndex = new TreeMap<>();
		for (WalSegmentInfo segment : generation.segments()) {
			if (segment.index() > from.index() || (segment.index() == from.index() && segment.offset() >= from.offset())) {
				byIndex.computeIfAbsent(segment.index(), (i) -> new ArrayList<>()).add(segment);
			}
		}
		List<WalIndexPlan> plans = new ArrayList<>();
		long expectedIndex = from.index();
		long expectedOffset = from.offset();
		for (var entry : byIndex.entrySet()) {
			List<WalSegmentInfo> segments = entry.getValue();
			segments.sort((a, b) -> Long.compare(a.offset(), b.offset()));
			long first = segments.get(0).offset();
			// the first new index may also be the next one: the position's index ended at its offset
			boolean continues = (entry.getKey() == expectedIndex && first == expectedOffset)
					|| (plans.isEmpty() && entry.getKey() == from.index() + 1 && first == 0);
			if (!continues) {
				return Optional.empty();
			}
			plans.add(new WalIndexPlan(entry.getKey(), List.copyOf(segments)));
			expectedIndex = entry.getKey() + 1;
			expectedOffset = 0;
		}
		return Optional.of(List.copyOf(plans));
	}

	private static SnapshotInfo newestSnapshot(GenerationListing generation) throws InvalidReplicaException {
		SnapshotInfo newest = null;
		for (SnapshotInfo snapshot : generation.snapshots()) {
			if (newest == null || snapshot.createdAt().isAfter(newest.createdAt())) {
				newest = snapshot;
			}
		}
		if (newest == null) {
			throw new InvalidReplicaException("Generation " + generation.generation()
					+ " is the newest in the replica but has no snapshot to restore from");
		}
		return newest;
	}

	private static List<WalIndexPlan> walIndexesFrom(GenerationListing generation, SnapshotInfo snapshot)
			throws InvalidReplicaException {
		TreeMap<Long, List<WalSegmentInfo>> byIndex = new TreeMap<>();
		for (WalSegmentInfo segment : generation.segments()) {
			byIndex.computeIfAbsent(segment.index(), (i) -> new ArrayList<>()).add(segment);
		}
		long maxIndex = byIndex.isEmpty() ? -1 : byIndex.lastKey();
		if (maxIndex < 0) {
			return List.of();
		}
		if (maxIndex < snapshot.index()) {
			logger.warn("Snapshot {}/{} is above the highest WAL index {}: restoring the snapshot alone "
					+ "(litestream v0.3.13 fails on this replica)", generation.generation(),
					String.format("%08x", snapshot.index()), String.format("%08x", maxIndex));
			return List.of();
		}
		List<WalIndexPlan> plans = new ArrayList<>();
		for (long index = snapshot.index(); index <= maxIndex; index++) {
			List<WalSegmentInfo> segments = byIndex.get(index);
			if (segments == null) {
				throw new InvalidReplicaException(
						"Missing WAL index " + generation.generation() + "/" + String.format("%08x", index));
			}
			segments.sort((a, b) -> Long.compare(a.offset(), b.offset()));
			if (segments.get(0).offset() != 0) {
				throw new InvalidReplicaException("Missing the initial WAL segment of " + generation.generation() + "/"
						+ String.format("%08x", index) + ": the first one is at offset " + segments.get(0).offset());
			}
			plans.add(new WalIndexPlan(index, List.copyOf(segments)));
		}
		return plans;
	}

}
