package io.github.s3lite.internal.nativeengine.format;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which objects retention deletes, on listings with chosen times (the behaviour against a real
 * replica and litestream's restore is in {@code RetentionTests}).
 */
class LitestreamV03RetentionTests {

	private static final Instant NOW = Instant.parse("2026-11-25T12:00:00Z");

	private static final Instant CUTOFF = NOW.minus(Duration.ofHours(24));

	private final ReplicaFormat format = new LitestreamV03Format();

	@Test
	void anOldGenerationThatIsNotCurrentIsDeletedAsAWhole() {
		GenerationListing old = generation("aaaaaaaaaaaaaaaa", List.of(snapshot("aaaaaaaaaaaaaaaa", 0, 30)),
				List.of(segment("aaaaaaaaaaaaaaaa", 0, 0, 30), segment("aaaaaaaaaaaaaaaa", 1, 0, 25)));
		GenerationListing current = generation("bbbbbbbbbbbbbbbb", List.of(snapshot("bbbbbbbbbbbbbbbb", 0, 2)),
				List.of(segment("bbbbbbbbbbbbbbbb", 0, 0, 1)));
		List<String> expired = this.format.expiredKeys(new ReplicaListing(List.of(old, current)), "bbbbbbbbbbbbbbbb",
				CUTOFF);
		assertThat(expired).containsExactlyInAnyOrder(old.snapshots().get(0).key(), old.segments().get(0).key(),
				old.segments().get(1).key());
	}

	@Test
	void theCurrentGenerationIsNeverDeletedEvenWhenEverythingInItIsOld() {
		GenerationListing current = generation("bbbbbbbbbbbbbbbb", List.of(snapshot("bbbbbbbbbbbbbbbb", 3, 50)),
				List.of(segment("bbbbbbbbbbbbbbbb", 3, 0, 50), segment("bbbbbbbbbbbbbbbb", 3, 4152, 49)));
		assertThat(this.format.expiredKeys(new ReplicaListing(List.of(current)), "bbbbbbbbbbbbbbbb", CUTOFF))
			.isEmpty();
	}

	@Test
	void snapshotsAndSegmentsBelowTheNewestSnapshotOlderThanTheRetentionAreDeleted() {
		String gen = "cccccccccccccccc";
		GenerationListing current = generation(gen,
				List.of(snapshot(gen, 0, 60), snapshot(gen, 2, 40), snapshot(gen, 5, 30), snapshot(gen, 7, 3)),
				List.of(segment(gen, 0, 0, 60), segment(gen, 1, 0, 50), segment(gen, 4, 0, 35),
						segment(gen, 5, 0, 30), segment(gen, 6, 0, 10), segment(gen, 7, 0, 2)));
		List<String> expired = this.format.expiredKeys(new ReplicaListing(List.of(current)), gen, CUTOFF);
		// snapshot 5 (30 h old) is the newest one older than 24 h: a restore to 24 h ago starts there
		assertThat(expired).containsExactlyInAnyOrder(this.format.snapshotKey(gen, 0), this.format.snapshotKey(gen, 2),
				this.format.walSegmentKey(gen, 0, 0), this.format.walSegmentKey(gen, 1, 0),
				this.format.walSegmentKey(gen, 4, 0));
	}

	@Test
	void aGenerationWithoutASnapshotOlderThanTheRetentionKeepsEverything() {
		String gen = "dddddddddddddddd";
		GenerationListing current = generation(gen, List.of(snapshot(gen, 0, 20), snapshot(gen, 4, 1)),
				List.of(segment(gen, 0, 0, 20), segment(gen, 4, 0, 1)));
		GenerationListing recentOther = generation("eeeeeeeeeeeeeeee",
				List.of(snapshot("eeeeeeeeeeeeeeee", 0, 23)), List.of(segment("eeeeeeeeeeeeeeee", 0, 0, 22)));
		assertThat(this.format.expiredKeys(new ReplicaListing(List.of(current, recentOther)), gen, CUTOFF)).isEmpty();
	}

	private static GenerationListing generation(String name, List<SnapshotInfo> snapshots,
			List<WalSegmentInfo> segments) {
		return new GenerationListing(name, snapshots, segments);
	}

	private SnapshotInfo snapshot(String generation, long index, int hoursAgo) {
		return new SnapshotInfo(generation, index, 100, NOW.minus(Duration.ofHours(hoursAgo)),
				this.format.snapshotKey(generation, index));
	}

	private WalSegmentInfo segment(String generation, long index, long offset, int hoursAgo) {
		return new WalSegmentInfo(generation, index, offset, 100, NOW.minus(Duration.ofHours(hoursAgo)),
				this.format.walSegmentKey(generation, index, offset));
	}

}
