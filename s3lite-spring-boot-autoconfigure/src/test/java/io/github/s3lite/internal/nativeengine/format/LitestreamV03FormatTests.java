package io.github.s3lite.internal.nativeengine.format;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.s3lite.internal.storage.FileReplicaStore;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * litestream v0.3's layout, encoding and choice of restore target ({@code CalcRestoreTarget},
 * {@code SnapshotIndexAt}, {@code walSegmentMap} of v0.3.13).
 */
class LitestreamV03FormatTests {

	private static final String A = "aaaaaaaaaaaaaaaa";

	private static final String B = "bbbbbbbbbbbbbbbb";

	private static final Instant T0 = Instant.parse("2026-01-01T00:00:00Z");

	private final LitestreamV03Format format = new LitestreamV03Format();

	@TempDir
	Path dir;

	@Test
	void keysFollowLitestreamsLayoutWithEightLowercaseHexDigits() {
		assertThat(this.format.snapshotKey(A, 0x1a)).isEqualTo("generations/" + A + "/snapshots/0000001a.snapshot.lz4");
		assertThat(this.format.walSegmentKey(A, 2, 0x1038)).isEqualTo("generations/" + A + "/wal/00000002_00001038.wal.lz4");
		assertThat(this.format.newGeneration()).matches("[0-9a-f]{16}");
		assertThatExceptionOfType(IllegalArgumentException.class)
			.isThrownBy(() -> this.format.walSegmentKey(A, 0, 0x1_0000_0000L));
	}

	@Test
	void aRestoreEndReachesEveryEarlierObjectOfItsGenerationAndNothingOfAnother() {
		String segment = this.format.walSegmentKey(A, 2, 0x100);
		assertThat(this.format.reaches(segment, segment)).isTrue();
		assertThat(this.format.reaches(segment, this.format.walSegmentKey(A, 2, 0xff))).isTrue();
		assertThat(this.format.reaches(segment, this.format.walSegmentKey(A, 1, 0x1000))).isTrue();
		assertThat(this.format.reaches(segment, this.format.snapshotKey(A, 2))).as("its index's snapshot").isTrue();
		assertThat(this.format.reaches(segment, this.format.walSegmentKey(A, 2, 0x101))).isFalse();
		assertThat(this.format.reaches(segment, this.format.walSegmentKey(A, 3, 0))).isFalse();
		assertThat(this.format.reaches(this.format.snapshotKey(A, 2), this.format.walSegmentKey(A, 2, 0)))
			.as("a snapshot precedes its index's segments").isFalse();
		assertThat(this.format.reaches(this.format.snapshotKey(A, 3), segment)).isTrue();
		assertThat(this.format.reaches(this.format.walSegmentKey(B, 9, 0), segment)).as("another generation").isFalse();
		assertThat(this.format.reaches(segment, "not-a-key")).isFalse();
	}

	@Test
	void encodingIsOneLz4FrameThatLeavesTheTargetStreamOpen() throws IOException {
		byte[] raw = new byte[1_000_000];
		new Random(1).nextBytes(raw);
		ByteArrayOutputStream stored = new ByteArrayOutputStream() {
			@Override
			public void close() {
				throw new AssertionError("the store's stream must not be closed");
			}
		};
		try (OutputStream encoded = this.format.encode(stored)) {
			encoded.write(raw);
		}
		byte[] bytes = stored.toByteArray();
		assertThat(bytes).startsWith(0x04, 0x22, 0x4d, 0x18);
		try (InputStream decoded = this.format.decode(new ByteArrayInputStream(bytes))) {
			assertThat(decoded.readAllBytes()).isEqualTo(raw);
		}
	}

	@Test
	void listingKeepsOnlyWellFormedNamesPerGeneration() throws IOException {
		try (FileReplicaStore store = new FileReplicaStore(this.dir)) {
			store.put(this.format.snapshotKey(A, 0), new byte[1]);
			store.put(this.format.walSegmentKey(A, 0, 0), new byte[2]);
			store.put(this.format.walSegmentKey(B, 3, 32), new byte[3]);
			store.put("generations/" + A + "/wal/0000000A_00000000.wal.lz4", new byte[1]);
			store.put("generations/short/snapshots/00000000.snapshot.lz4", new byte[1]);
			store.put("generations/" + A + "/snapshots/00000001.snapshot", new byte[1]);
			store.put("lock.json", new byte[1]);
			ReplicaListing listing = this.format.list(store);
			assertThat(listing.generations()).extracting(GenerationListing::generation).containsExactly(A, B);
			assertThat(listing.generations().get(0).snapshots()).extracting(SnapshotInfo::index).containsExactly(0L);
			assertThat(listing.generations().get(0).segments()).extracting(WalSegmentInfo::size).containsExactly(2L);
			assertThat(listing.generations().get(1).segments()).extracting(WalSegmentInfo::index, WalSegmentInfo::offset)
				.containsExactly(org.assertj.core.groups.Tuple.tuple(3L, 32L));
		}
	}

	@Test
	void anEmptyReplicaHasNothingToRestore() throws IOException {
		assertThat(this.format.planRestore(new ReplicaListing(List.of()))).isEmpty();
		try (FileReplicaStore store = new FileReplicaStore(this.dir.resolve("none"))) {
			assertThat(this.format.planRestore(this.format.list(store))).isEmpty();
		}
	}

	@Test
	void theGenerationWithTheNewestObjectWinsEvenWithAnOlderSnapshot() throws IOException {
		GenerationListing a = generation(A, List.of(snapshot(A, 0, 100)), List.of(segment(A, 0, 0, 101)));
		GenerationListing b = generation(B, List.of(snapshot(B, 0, 50)), List.of(segment(B, 0, 0, 60),
				segment(B, 0, 4152, 200)));
		RestorePlan plan = this.format.planRestore(new ReplicaListing(List.of(a, b))).orElseThrow();
		assertThat(plan.generation()).isEqualTo(B);
	}

	@Test
	void onATieTheGenerationFirstInNameOrderWins() throws IOException {
		GenerationListing a = generation(A, List.of(snapshot(A, 0, 100)), List.of());
		GenerationListing b = generation(B, List.of(snapshot(B, 0, 100)), List.of());
		assertThat(this.format.planRestore(new ReplicaListing(List.of(a, b))).orElseThrow().generation()).isEqualTo(A);
	}

	@Test
	void theNewestSnapshotByTimeWinsNotTheHighestIndexAndTiesGoToTheLowerIndex() throws IOException {
		List<WalSegmentInfo> wal = List.of(segment(A, 0, 0, 1), segment(A, 1, 0, 2), segment(A, 2, 0, 3));
		GenerationListing newerLowIndex = generation(A, List.of(snapshot(A, 1, 90), snapshot(A, 2, 80)), wal);
		assertThat(plan(newerLowIndex).snapshot().index()).isEqualTo(1);
		GenerationListing tie = generation(A, List.of(snapshot(A, 1, 90), snapshot(A, 2, 90)), wal);
		RestorePlan plan = plan(tie);
		assertThat(plan.snapshot().index()).isEqualTo(1);
		assertThat(plan.walIndexes()).extracting(WalIndexPlan::index).containsExactly(1L, 2L);
	}

	@Test
	void everyWalIndexFromTheSnapshotsToTheHighestIsAppliedWithItsSegmentsInOffsetOrder() throws IOException {
		GenerationListing generation = generation(A, List.of(snapshot(A, 1, 10)),
				List.of(segment(A, 0, 0, 1), segment(A, 1, 0, 11), segment(A, 1, 4152, 12), segment(A, 2, 0, 13)));
		RestorePlan plan = plan(generation);
		assertThat(plan.walIndexes()).extracting(WalIndexPlan::index).containsExactly(1L, 2L);
		assertThat(plan.walIndexes().get(0).segments()).extracting(WalSegmentInfo::offset).containsExactly(0L, 4152L);
		assertThat(plan.targetIndex()).isEqualTo(2);
	}

	@Test
	void aSnapshotWithoutWalIsRestoredAlone() throws IOException {
		RestorePlan plan = plan(generation(A, List.of(snapshot(A, 0, 10)), List.of()));
		assertThat(plan.walIndexes()).isEmpty();
		assertThat(plan.targetIndex()).isZero();
	}

	@Test
	void aSnapshotAboveEveryWalIndexIsRestoredAloneWhereLitestreamPanics() throws IOException {
		RestorePlan plan = plan(generation(A, List.of(snapshot(A, 3, 10)), List.of(segment(A, 2, 0, 5))));
		assertThat(plan.snapshot().index()).isEqualTo(3);
		assertThat(plan.walIndexes()).isEmpty();
	}

	@Test
	void aMissingWalIndexOrInitialSegmentMakesTheReplicaInvalid() {
		GenerationListing gap = generation(A, List.of(snapshot(A, 0, 10)),
				List.of(segment(A, 0, 0, 11), segment(A, 2, 0, 12)));
		assertThatExceptionOfType(InvalidReplicaException.class).isThrownBy(() -> plan(gap))
			.withMessageContaining("Missing WAL index " + A + "/00000001");
		GenerationListing noInitial = generation(A, List.of(snapshot(A, 0, 10)), List.of(segment(A, 0, 4152, 11)));
		assertThatExceptionOfType(InvalidReplicaException.class).isThrownBy(() -> plan(noInitial))
			.withMessageContaining("initial WAL segment");
	}

	@Test
	void theNewestGenerationWithoutASnapshotMakesTheReplicaInvalid() {
		GenerationListing old = generation(A, List.of(snapshot(A, 0, 10)), List.of());
		GenerationListing segmentsOnly = generation(B, List.of(), List.of(segment(B, 0, 0, 20)));
		assertThatExceptionOfType(InvalidReplicaException.class)
			.isThrownBy(() -> this.format.planRestore(new ReplicaListing(List.of(old, segmentsOnly))))
			.withMessageContaining("no snapshot");
	}

	private RestorePlan plan(GenerationListing generation) throws InvalidReplicaException {
		return this.format.planRestore(new ReplicaListing(List.of(generation))).orElseThrow();
	}

	private GenerationListing generation(String name, List<SnapshotInfo> snapshots, List<WalSegmentInfo> segments) {
		return new GenerationListing(name, new ArrayList<>(snapshots), new ArrayList<>(segments));
	}

	private SnapshotInfo snapshot(String generation, long index, long second) {
		return new SnapshotInfo(generation, index, 100, T0.plusSeconds(second), this.format.snapshotKey(generation, index));
	}

	private WalSegmentInfo segment(String generation, long index, long offset, long second) {
		return new WalSegmentInfo(generation, index, offset, 100, T0.plusSeconds(second),
				this.format.walSegmentKey(generation, index, offset));
	}

}
