package io.github.s3lite.internal.nativeengine.format;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.security.SecureRandom;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.concurrent.ExecutorService;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import net.jpountz.lz4.LZ4FrameInputStream;
import net.jpountz.lz4.LZ4FrameOutputStream;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.s3lite.internal.replication.WalPosition;
import io.github.s3lite.internal.storage.ReplicaStore;
import io.github.s3lite.internal.storage.StoredObject;

/**
 * litestream v0.3's replica format: {@code generations/<16 hex>/snapshots/<8 hex index>.snapshot.lz4}
 * and {@code generations/<16 hex>/wal/<8 hex index>_<8 hex offset>.wal.lz4}, each object one
 * standard LZ4 frame. Names are parsed as strictly as litestream does (lowercase hex, exact widths);
 * other objects are ignored.
 */
public final class LitestreamV03Format implements ReplicaFormat {

	private static final Logger logger = LoggerFactory.getLogger(LitestreamV03Format.class);

	private static final String GENERATIONS = "generations/";

	/**
	 * The name of the object that marks a generation as superseded, beside its {@code snapshots/} and
	 * {@code wal/}; litestream ignores it.
	 */
	public static final String SUPERSEDED_MARK = "s3lite-superseded";

	private static final Pattern SNAPSHOT = Pattern
		.compile("generations/([0-9a-f]{16})/snapshots/([0-9a-f]{8})\\.snapshot\\.lz4");

	private static final Pattern SEGMENT = Pattern
		.compile("generations/([0-9a-f]{16})/wal/([0-9a-f]{8})_([0-9a-f]{8})\\.wal\\.lz4");

	private static final Pattern SUPERSEDED = Pattern.compile("generations/([0-9a-f]{16})/" + SUPERSEDED_MARK);

	private static final SecureRandom random = new SecureRandom();

	@Override
	public String name() {
		return "litestream-v0.3";
	}

	@Override
	public String newGeneration() {
		byte[] bytes = new byte[8];
		random.nextBytes(bytes);
		return HexFormat.of().formatHex(bytes);
	}

	@Override
	public String snapshotKey(String generation, long index) {
		return GENERATIONS + generation + "/snapshots/" + hex8(index) + ".snapshot.lz4";
	}

	@Override
	public String walSegmentKey(String generation, long index, long offset) {
		return GENERATIONS + generation + "/wal/" + hex8(index) + "_" + hex8(offset) + ".wal.lz4";
	}

	@Override
	public boolean reaches(String end, String other) {
		Optional<long[]> at = orderOf(end);
		Optional<long[]> target = orderOf(other);
		if (at.isEmpty() || target.isEmpty() || !generationOf(end).equals(generationOf(other))) {
			return false;
		}
		long[] a = at.get();
		long[] b = target.get();
		return a[0] > b[0] || (a[0] == b[0] && a[1] >= b[1]);
	}

	/**
	 * Where an object stands in its generation: its WAL index, then the offset of a segment, or -1 for the
	 * snapshot that index's segments are applied after.
	 */
	private static Optional<long[]> orderOf(String key) {
		Matcher segment = SEGMENT.matcher(key);
		if (segment.matches()) {
			return Optional.of(new long[] { Long.parseLong(segment.group(2), 16), Long.parseLong(segment.group(3), 16) });
		}
		Matcher snapshot = SNAPSHOT.matcher(key);
		return snapshot.matches() ? Optional.of(new long[] { Long.parseLong(snapshot.group(2), 16), -1 })
				: Optional.empty();
	}

	private static String generationOf(String key) {
		Matcher segment = SEGMENT.matcher(key);
		Matcher snapshot = SNAPSHOT.matcher(key);
		return segment.matches() ? segment.group(1) : snapshot.matches() ? snapshot.group(1) : "";
	}

	private static String hex8(long value) {
		if (value < 0 || value > 0xffffffffL) {
			throw new IllegalArgumentException("litestream v0.3 names hold 8 hex digits, not " + value);
		}
		return String.format("%08x", value);
	}

	@Override
	public OutputStream encode(OutputStream out) throws IOException {
		return new LZ4FrameOutputStream(new KeepOpen(out), LZ4FrameOutputStream.BLOCKSIZE.SIZE_256KB);
	}

	@Override
	public InputStream decode(InputStream in) throws IOException {
		return new LZ4FrameInputStream(in);
	}

	/**
	 * Decode an object's LZ4 frame with its blocks decompressed in parallel ({@link Lz4FrameFileDecoder});
	 * a frame it does not handle is decoded again from the start, sequentially.
	 */
	@Override
	public long decodeInto(EncodedObject encoded, FileChannel target, ExecutorService pool, int parallelism)
			throws IOException {
		try (InputStream in = encoded.open()) {
			return Lz4FrameFileDecoder.decode(in, target, pool, parallelism);
		}
		catch (Lz4FrameFileDecoder.UnsupportedFrameException ex) {
			logger.debug("{}; decoding it sequentially", ex.getMessage());
			target.truncate(0);
			return ReplicaFormat.super.decodeInto(encoded, target, pool, parallelism);
		}
	}

	@Override
	public ReplicaListing list(ReplicaStore store) throws IOException {
		return parse(store.list(GENERATIONS));
	}

	/**
	 * One LIST starting after the name the position's segment would have without its extension: that
	 * segment itself ({@code …_<offset>.wal.lz4}) sorts after it, and every earlier one before it.
	 */
	@Override
	public ReplicaListing listFrom(ReplicaStore store, WalPosition from) throws IOException {
		String segment = walSegmentKey(from.generation(), from.index(), from.offset());
		return parse(store.list(GENERATIONS, segment.substring(0, segment.length() - ".wal.lz4".length())));
	}

	@Override
	public Optional<List<WalIndexPlan>> walAfter(ReplicaListing listing, WalPosition from) {
		return LitestreamV03RestoreTarget.walAfter(listing, from);
	}

	private static ReplicaListing parse(List<StoredObject> objects) {
		Map<String, List<SnapshotInfo>> snapshots = new TreeMap<>();
		Map<String, List<WalSegmentInfo>> segments = new TreeMap<>();
		Set<String> superseded = new TreeSet<>();
		for (StoredObject object : objects) {
			Matcher snapshot = SNAPSHOT.matcher(object.key());
			Matcher segment = SEGMENT.matcher(object.key());
			Matcher supersededMark = SUPERSEDED.matcher(object.key());
			if (supersededMark.matches()) {
				superseded.add(supersededMark.group(1));
			}
			else if (snapshot.matches()) {
				String generation = snapshot.group(1);
				segments.computeIfAbsent(generation, (g) -> new ArrayList<>());
				snapshots.computeIfAbsent(generation, (g) -> new ArrayList<>())
					.add(new SnapshotInfo(generation, Long.parseLong(snapshot.group(2), 16), object.size(),
							object.lastModified(), object.key()));
			}
			else if (segment.matches()) {
				String generation = segment.group(1);
				snapshots.computeIfAbsent(generation, (g) -> new ArrayList<>());
				segments.computeIfAbsent(generation, (g) -> new ArrayList<>())
					.add(new WalSegmentInfo(generation, Long.parseLong(segment.group(2), 16),
							Long.parseLong(segment.group(3), 16), object.size(), object.lastModified(), object.key()));
			}
		}
		List<GenerationListing> generations = new ArrayList<>();
		snapshots.forEach((generation, list) -> generations
			.add(new GenerationListing(generation, List.copyOf(list), List.copyOf(segments.get(generation)))));
		return new ReplicaListing(List.copyOf(generations), Set.copyOf(superseded));
	}

	@Override
	public Optional<RestorePlan> planRestore(ReplicaListing listing) throws InvalidReplicaException {
		return LitestreamV03RestoreTarget.plan(listing);
	}

	@Override
	public List<String> expiredKeys(ReplicaListing listing, String currentGeneration, Instant cutoff) {
		return LitestreamV03Retention.expiredKeys(listing, currentGeneration, cutoff);
	}

	/** Lets the LZ4 frame be finished without closing the store's stream. */
	private static final class KeepOpen extends FilterOutputStream {

		KeepOpen(OutputStream out) {
			super(out);
		}

		@Override
		public void write(byte[] bytes, int offset, int length) throws IOException {
			this.out.write(bytes, offset, length);
		}

		@Override
		public void close() throws IOException {
			this.out.flush();
		}

	}

}
