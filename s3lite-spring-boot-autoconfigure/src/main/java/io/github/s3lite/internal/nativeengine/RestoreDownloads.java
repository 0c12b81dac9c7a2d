package io.github.s3lite.internal.nativeengine;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.s3lite.internal.nativeengine.format.InvalidReplicaException;
import io.github.s3lite.internal.nativeengine.format.ReplicaFormat;
import io.github.s3lite.internal.nativeengine.format.RestorePlan;
import io.github.s3lite.internal.nativeengine.format.SnapshotInfo;
import io.github.s3lite.internal.nativeengine.format.WalIndexPlan;
import io.github.s3lite.internal.nativeengine.format.WalSegmentInfo;
import io.github.s3lite.internal.nativeengine.wal.CommittedWal;
import io.github.s3lite.internal.nativeengine.wal.WalReader;
import io.github.s3lite.internal.storage.ReplicaStore;

/**
 * Downloads what a {@link RestorePlan} needs on a small bounded pool, decoding while downloading:
 * the snapshot into the staging database file, fetched in parallel ranged GETs a few parts ahead of
 * the decoder ({@link RangedObjectStream}) and decoded by the format on a pool of its own
 * ({@link ReplicaFormat#decodeInto}, blocks in parallel), and each WAL segment straight to its offset in its
 * index's WAL file, so that segments of one index download in parallel too. Work is submitted in
 * plan order, so the caller can apply index after index while later ones still download. Without a
 * snapshot, it downloads only WAL segments after a position (a follower advancing its copy): the first
 * index may then continue a WAL whose beginning is already on disk.
 */
final class RestoreDownloads implements AutoCloseable {

	private static final AtomicInteger threads = new AtomicInteger();

	private static final int BUFFER_SIZE = 1 << 20;

	private final ReplicaStore store;

	private final ReplicaFormat format;

	private final ExecutorService pool;

	private final ExecutorService parts;

	private final ExecutorService decoders;

	private final Future<Long> snapshot;

	private final String generation;

	private final long firstIndex;

	private final long firstOffset;

	private final Map<Long, List<Future<Long>>> segments = new LinkedHashMap<>();

	private final Map<Long, Path> walFiles = new LinkedHashMap<>();

	RestoreDownloads(ReplicaStore store, ReplicaFormat format, RestorePlan plan, Path staging, int parallelism)
			throws IOException {
		this(store, format, plan.generation(), plan.snapshot(), plan.walIndexes(), staging, null, parallelism);
	}

	/**
	 * Download a snapshot (unless {@code null}) and WAL indexes.
	 * @param prefix the beginning of the first index's WAL, already decoded, for a first index that
	 * continues from its offset; {@code null} when the first index starts at offset 0
	 */
	RestoreDownloads(ReplicaStore store, ReplicaFormat format, String generation, SnapshotInfo snapshot,
			List<WalIndexPlan> indexes, Path staging, WalPrefix prefix, int parallelism) throws IOException {
		this.store = store;
		this.format = format;
		this.generation = generation;
		this.firstIndex = indexes.isEmpty() ? -1 : indexes.get(0).index();
		this.firstOffset = (prefix != null) ? prefix.length() : 0;
		for (WalIndexPlan index : indexes) {
			Files.deleteIfExists(walFile(staging, index.index()));
		}
		if (prefix != null && !indexes.isEmpty()) {
			try (FileChannel from = FileChannel.open(prefix.wal(), StandardOpenOption.READ);
					FileChannel to = FileChannel.open(walFile(staging, this.firstIndex), StandardOpenOption.CREATE,
							StandardOpenOption.WRITE)) {
				for (long copied = 0; copied < prefix.length();) {
					copied += from.transferTo(copied, prefix.length() - copied, to);
				}
			}
		}
		this.pool = Executors.newFixedThreadPool(parallelism, (task) -> {
			Thread thread = new Thread(task, "s3lite-restore-" + threads.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		});
		this.parts = Executors.newFixedThreadPool(parallelism, (task) -> {
			Thread thread = new Thread(task, "s3lite-restore-part-" + threads.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		});
		this.decoders = Executors.newFixedThreadPool(parallelism, (task) -> {
			Thread thread = new Thread(task, "s3lite-restore-decode-" + threads.incrementAndGet());
			thread.setDaemon(true);
			return thread;
		});
		this.snapshot = (snapshot == null) ? null : this.pool.submit(() -> {
			try (FileChannel channel = FileChannel.open(staging, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
				return format.decodeInto(() -> new RangedObjectStream(store, snapshot.key(), snapshot.size(), this.parts,
						parallelism), channel, this.decoders, parallelism);
			}
		});
		for (WalIndexPlan index : indexes) {
			Path wal = walFile(staging, index.index());
			this.walFiles.put(index.index(), wal);
			List<Future<Long>> futures = new ArrayList<>();
			for (WalSegmentInfo segment : index.segments()) {
				futures.add(this.pool.submit(() -> download(segment.key(), wal, segment.offset())));
			}
			this.segments.put(index.index(), futures);
		}
	}

	private static Path walFile(Path staging, long index) {
		return staging.resolveSibling(staging.getFileName() + "-" + String.format("%08x", index) + ".wal");
	}

	private long download(String key, Path file, long offset) throws IOException {
		try (InputStream in = this.store.get(key)) {
			return write(in, file, offset);
		}
	}

	/**
	 * Decode an object into a file at an offset. Nothing is synced: the restore syncs the database once,
	 * when it is complete; a crash before leaves only staging files, which the next restore removes.
	 */
	private long write(InputStream encoded, Path file, long offset) throws IOException {
		try (InputStream in = this.format.decode(encoded);
				FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
			channel.position(offset);
			ByteBuffer buffer = ByteBuffer.allocate(BUFFER_SIZE);
			long length = 0;
			for (int read = in.read(buffer.array()); read >= 0; read = in.read(buffer.array())) {
				buffer.limit(read);
				while (buffer.hasRemaining()) {
					channel.write(buffer);
				}
				buffer.clear();
				length += read;
			}
			return length;
		}
	}

	/**
	 * Wait for the snapshot.
	 * @return its decoded size
	 * @throws IOException if it could not be downloaded
	 */
	long awaitSnapshot() throws IOException {
		return await(this.snapshot);
	}

	/**
	 * Wait for every segment of a WAL index and check that they form one committed WAL.
	 * @param index the WAL index
	 * @return the WAL file, ready to apply
	 * @throws IOException if a segment could not be downloaded or the segments leave a gap
	 */
	Path awaitWal(WalIndexPlan index) throws IOException {
		List<Future<Long>> futures = this.segments.get(index.index());
		long end = (index.index() == this.firstIndex) ? this.firstOffset : 0;
		for (int i = 0; i < futures.size(); i++) {
			WalSegmentInfo segment = index.segments().get(i);
			long length = await(futures.get(i));
			if (segment.offset() != end) {
				throw new InvalidReplicaException("WAL segments of " + this.generation + "/"
						+ String.format("%08x", index.index()) + " leave a gap: one ends at " + end
						+ " but the next starts at " + segment.offset() + " (" + segment.key() + ")");
			}
			end = segment.offset() + length;
		}
		Path wal = this.walFiles.get(index.index());
		verifyCommitted(index, wal, end);
		return wal;
	}

	private void verifyCommitted(WalIndexPlan index, Path wal, long length) throws IOException {
		String name = this.generation + "/" + String.format("%08x", index.index());
		if (Files.size(wal) != length) {
			throw new InvalidReplicaException("WAL index " + name + " has overlapping segments");
		}
		CommittedWal committed = WalReader.committedPrefix(wal)
			.orElseThrow(() -> new InvalidReplicaException("WAL index " + name + " does not start with a valid WAL header"));
		if (committed.length() != length) {
			throw new InvalidReplicaException("WAL index " + name + " has " + length
					+ " bytes but only the first " + committed.length() + " form committed transactions");
		}
	}

	/**
	 * The beginning of a WAL index already decoded on disk.
	 *
	 * @param wal the file
	 * @param length how many of its first bytes to continue from
	 */
	record WalPrefix(Path wal, long length) {
	}

	private static long await(Future<Long> future) throws IOException {
		try {
			return future.get();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IOException("Interrupted while restoring", ex);
		}
		catch (ExecutionException ex) {
			if (ex.getCause() instanceof IOException io) {
				throw io;
			}
			throw new IOException("Restore download failed: " + ex.getCause(), ex.getCause());
		}
	}

	@Override
	public void close() throws IOException {
		this.pool.shutdownNow();
		this.parts.shutdownNow();
		this.decoders.shutdownNow();
		try {
			this.pool.awaitTermination(30, java.util.concurrent.TimeUnit.SECONDS);
			this.parts.awaitTermination(30, java.util.concurrent.TimeUnit.SECONDS);
			this.decoders.awaitTermination(30, java.util.concurrent.TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		for (Path wal : this.walFiles.values()) {
			Files.deleteIfExists(wal);
		}
	}

}
