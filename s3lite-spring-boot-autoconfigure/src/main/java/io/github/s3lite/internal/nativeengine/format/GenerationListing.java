package io.github.s3lite.internal.nativeengine.format;

import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * What a replica holds of one generation, each list in key order (index, then offset).
 *
 * @param generation the generation name
 * @param snapshots its snapshots
 * @param segments its WAL segments
 */
public record GenerationListing(String generation, List<SnapshotInfo> snapshots, List<WalSegmentInfo> segments) {

	/**
	 * Return when the newest object of this generation was stored.
	 * @return the newest last-modified time, or empty for a generation without objects
	 */
	public Optional<Instant> updatedAt() {
		return times().max(Instant::compareTo);
	}

	/**
	 * Return when the oldest object of this generation was stored.
	 * @return the oldest last-modified time, or empty for a generation without objects
	 */
	public Optional<Instant> createdAt() {
		return times().min(Instant::compareTo);
	}

	private Stream<Instant> times() {
		return Stream.concat(this.snapshots.stream().map(SnapshotInfo::createdAt),
				this.segments.stream().map(WalSegmentInfo::createdAt));
	}

}
