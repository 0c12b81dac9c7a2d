package io.github.s3lite.internal.nativeengine;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.s3lite.internal.nativeengine.format.ReplicaFormat;
import io.github.s3lite.internal.storage.ReplicaStore;

/**
 * Uploads what {@link ReplicatedWal} says the replica lacks: the copy held across a checkpoint first,
 * then the committed WAL bytes since the last segment, as one segment. Callers serialize it with the
 * checkpoints (the replica writer's shipping lock), so that the WAL range being read cannot be
 * overwritten meanwhile. While the WAL holds half of its bound, uploads succeed and
 * checkpoints complete, it pauses application writers during an upload ({@link WriterPause}), so that
 * the bound holds even when uploads fall behind; after a failed upload, or while a long reader keeps
 * checkpoints from completing, it never pauses, and the WAL grows instead.
 */
final class WalShipper {

	private static final Logger logger = LoggerFactory.getLogger(WalShipper.class);

	private final ReplicatedWal wal;

	private final ReplicaStore store;

	private final ReplicaFormat format;

	private final WriterPause pause;

	private final long pauseAbove;

	private volatile boolean lastUploadFailed;

	private volatile boolean checkpointsComplete = true;

	WalShipper(ReplicatedWal wal, ReplicaStore store, ReplicaFormat format, WriterPause pause, long maxWalSize) {
		this.wal = wal;
		this.store = store;
		this.format = format;
		this.pause = pause;
		this.pauseAbove = maxWalSize / 2;
	}

	/**
	 * Upload the held copy, then every committed frame not in the replica, validated as it is read
	 * ({@link ValidatedWalCopy}).
	 * @throws WalContinuityException if the WAL restarted between the scan and the upload
	 */
	void shipPending() throws IOException {
		uploadHeld();
		WalSegment segment = this.wal.unshipped();
		if (segment.isEmpty()) {
			return;
		}
		WalContinuityException[] changed = new WalContinuityException[1];
		try (FileChannel channel = FileChannel.open(this.wal.file(), StandardOpenOption.READ)) {
			upload(segment.generation(), segment.index(), segment.from(), (out) -> {
				try {
					ValidatedWalCopy.copy(channel, segment, out);
				}
				catch (WalContinuityException ex) {
					changed[0] = ex;
					throw ex;
				}
			});
		}
		catch (NoSuchFileException ex) {
			return;
		}
		catch (IOException | RuntimeException ex) {
			if (changed[0] != null) {
				throw changed[0];
			}
			throw ex;
		}
		this.wal.shipped(segment);
		logger.debug("Shipped {}/{} bytes {}..{}", segment.generation(), segment.index(), segment.from(), segment.to());
	}

	/** Upload the copy held across a checkpoint, if any. */
	void uploadHeld() throws IOException {
		Optional<HeldSegment> held = this.wal.held();
		if (held.isEmpty()) {
			return;
		}
		HeldSegment segment = held.get();
		upload(segment.generation(), segment.index(), segment.offset(), (out) -> out.write(segment.bytes()));
		this.wal.heldUploaded(segment);
		logger.debug("Shipped {}/{} bytes from {} held across a checkpoint", segment.generation(), segment.index(),
				segment.offset());
	}

	private void upload(String generation, long index, long offset, Content content) throws IOException {
		try {
			watched(() -> this.store.write(this.format.walSegmentKey(generation, index, offset), (out) -> {
				try (OutputStream encoded = this.format.encode(out)) {
					content.writeTo(encoded);
				}
			}));
			this.lastUploadFailed = false;
		}
		catch (IOException | RuntimeException ex) {
			this.lastUploadFailed = true;
			throw ex;
		}
	}

	/**
	 * Run work that lets the WAL grow meanwhile (an upload, a checkpoint), pausing writers whenever the
	 * WAL is near its bound.
	 */
	void watched(WriterPause.Upload work) throws IOException {
		this.pause.during(work, this::full);
	}

	/** Whether writers must wait: the WAL is near its bound, checkpoints complete and uploads succeed. */
	private boolean full() {
		if (this.lastUploadFailed || !this.checkpointsComplete) {
			return false;
		}
		try {
			return this.wal.committedLength() >= this.pauseAbove;
		}
		catch (IOException ex) {
			return false;
		}
	}

	/**
	 * Tell whether the last checkpoint copied the whole WAL; while a long reader keeps it from doing so,
	 * pausing writers would not shrink the WAL, so they are not paused.
	 */
	void checkpointsComplete(boolean complete) {
		this.checkpointsComplete = complete;
	}

	/** Writes a segment's raw bytes. */
	@FunctionalInterface
	private interface Content {

		void writeTo(OutputStream out) throws IOException;

	}

}
