package io.github.s3lite.internal.nativeengine.format;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Which objects of a litestream v0.3 replica retention deletes, after litestream's
 * {@code Replica.EnforceRetention}: a generation other than the current one whose newest object is
 * older than the cutoff goes as a whole; in every other generation, snapshots and WAL segments of
 * indexes below the <em>floor</em> go, the floor being the newest snapshot stored before the cutoff.
 * Every state within the retention stays restorable (litestream v0.3 keeps only from the oldest
 * snapshot after the cutoff, so the window's first moments are lost; this keeps one snapshot more).
 * The current generation is never deleted, and its newest snapshot and everything after it are kept.
 */
final class LitestreamV03Retention {

	private LitestreamV03Retention() {
	}

	static List<String> expiredKeys(ReplicaListing listing, String currentGeneration, Instant cutoff) {
		List<String> keys = new ArrayList<>();
		for (GenerationListing generation : listing.generations()) {
			boolean current = generation.generation().equals(currentGeneration);
			if (!current && generation.updatedAt().map((at) -> at.isBefore(cutoff)).orElse(true)) {
				generation.snapshots().forEach((snapshot) -> keys.add(snapshot.key()));
				generation.segments().forEach((segment) -> keys.add(segment.key()));
				continue;
			}
			floor(generation, cutoff).ifPresent((floor) -> {
				generation.snapshots()
					.stream()
					.filter((snapshot) -> snapshot.index() < floor.index())
					.forEach((snapshot) -> keys.add(snapshot.key()));
				generation.segments()
					.stream()
					.filter((segment) -> segment.index() < floor.index())
					.forEach((segment) -> keys.add(segment.key()));
			});
		}
		return keys;
	}

	/** The newest snapshot stored before the cutoff: a restore to any moment since starts from it. */
	private static Optional<SnapshotInfo> floor(GenerationListing generation, Instant cutoff) {
		return generation.snapshots()
			.stream()
			.filter((snapshot) -> snapshot.createdAt().isBefore(cutoff))
			.max(Comparator.comparing(SnapshotInfo::createdAt).thenComparingLong(SnapshotInfo::index));
	}

}
