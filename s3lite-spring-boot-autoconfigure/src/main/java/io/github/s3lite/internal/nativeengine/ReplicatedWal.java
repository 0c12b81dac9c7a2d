package io.github.s3lite.internal.nativeengine;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

import io.github.s3lite.internal.nativeengine.wal.CommittedWal;
import io.github.s3lite.internal.nativeengine.wal.WalChecksum;
import io.github.s3lite.internal.nativeengine.wal.WalHeader;
import io.github.s3lite.internal.replication.WalPosition;

/**
 * What of the local WAL the replica holds: generation, WAL index and the header of its WAL life, the
 * shipped offset and the checksum there, a copy held in memory across a checkpoint, and what the last
 * complete checkpoint copied into the database. It reads only the local WAL, under its own lock and never
 * during a network call, so that the position and the pending bytes stay current while an upload hangs.
 *
 * <p>
 * A WAL restart (a new header) ends an index. It is accepted only when a {@link CompleteCheckpoint} of
 * this writer saw that life and everything it copied was shipped or held; any other restart is a
 * {@link WalContinuityException}.
 */
final class ReplicatedWal {

	private final Path database;

	private final WalScanner scanner;

	private String generation;

	private long index;

	private WalHeader header;

	private long offset;

	private WalChecksum checksum;

	/** Committed bytes copied under the write lock and not uploaded yet; they are uploaded first. */
	private HeldSegment held;

	/** The WAL life a checkpoint last copied completely into the database. */
	private final CompleteCheckpoint checkpoint = new CompleteCheckpoint();

	ReplicatedWal(Path database) {
		this.database = database;
		this.scanner = new WalScanner(database.resolveSibling(database.getFileName() + "-wal"));
	}

	Path file() {
		return this.scanner.file();
	}

	/** Start shipping a generation at an index whose first segment is not in the replica yet. */
	synchronized void begin(String generation, long index) {
		this.generation = generation;
		this.index = index;
		this.header = null;
		this.offset = 0;
		this.checksum = null;
		this.checkpoint.forget();
		// a new generation's snapshot, or the database of a clean stop, holds whatever was held
		this.held = null;
	}

	synchronized String generation() {
		return this.generation;
	}

	/** The replicated position; {@code null} before the first generation. */
	synchronized WalPosition position() {
		if (this.held != null) {
			return new WalPosition(this.held.generation(), this.held.index(), this.held.offset());
		}
		return (this.generation != null) ? new WalPosition(this.generation, this.index, this.offset) : null;
	}

	/**
	 * The position the replica reaches once it holds every frame committed now: the committed end of the
	 * WAL's current life, in this index or, after a restart, the next one (as {@link #unshipped()} will
	 * ship it); the offset when nothing more is committed (it includes a held copy). {@code null} before
	 * the first generation.
	 */
	synchronized WalPosition committedPosition() throws IOException {
		if (this.generation == null) {
			return null;
		}
		Optional<WalHeader> current = this.scanner.header();
		if (current.isPresent()) {
			boolean nextIndex = this.offset > 0 && !current.get().sameLife(this.header);
			long length = committedLength(current.get());
			if (length > WalHeader.SIZE && (nextIndex || length > this.offset)) {
				return new WalPosition(this.generation, nextIndex ? this.index + 1 : this.index, length);
			}
		}
		return new WalPosition(this.generation, this.index, this.offset);
	}

	/** Committed bytes not in the replica: the held copy and the WAL past the offset (a new life counts whole). */
	synchronized long pendingBytes() throws IOException {
		if (this.generation == null) {
			return 0;
		}
		return ((this.held != null) ? this.held.bytes().length : 0) + pendingInWal();
	}

	/** Length of the committed prefix of the WAL's current life; 0 without a WAL. */
	synchronized long committedLength() throws IOException {
		Optional<WalHeader> current = this.scanner.header();
		return current.isPresent() ? committedLength(current.get()) : 0;
	}

	private long committedLength(WalHeader current) throws IOException {
		return continuesShippedLife(current) ? this.scanner.committed(this.header, this.offset, this.checksum).length()
				: this.scanner.committed(current, WalHeader.SIZE, current.checksum()).length();
	}

	/** Whether the WAL's current life is the one shipped up to the offset (a new life counts whole). */
	private boolean continuesShippedLife(WalHeader current) {
		return this.offset > 0 && current.sameLife(this.header);
	}

	private long pendingInWal() throws IOException {
		Optional<WalHeader> current = this.scanner.header();
		if (current.isEmpty()) {
			return 0;
		}
		long length = committedLength(current.get());
		if (continuesShippedLife(current.get())) {
			return length - this.offset;
		}
		return (length > WalHeader.SIZE) ? length : 0;
	}

	/**
	 * Return the committed bytes not shipped yet, following a restart to the next index when it is allowed;
	 * the offset moves only with {@link #shipped(WalSegment)}.
	 * @throws WalContinuityException if the WAL restarted before its frames were shipped
	 */
	synchronized WalSegment unshipped() throws IOException {
		requireGeneration();
		if (!followLife()) {
			return nothing();
		}
		CommittedWal committed = this.scanner.committed(this.header, Math.max(this.offset, WalHeader.SIZE),
				this.checksum);
		if (this.offset > 0 && committed.length() == this.offset) {
			return nothing();
		}
		return new WalSegment(this.header, this.checksum, this.generation, this.index, this.offset, committed.length(),
				committed.checksum());
	}

	/** Record that the replica holds a segment returned by {@link #unshipped()}. */
	synchronized void shipped(WalSegment segment) {
		if (segment.generation().equals(this.generation) && segment.index() == this.index
				&& segment.from() == this.offset && segment.to() > this.offset) {
			this.offset = segment.to();
			this.checksum = segment.checksum();
		}
	}

	/**
	 * Copy the committed bytes not shipped yet into memory, as shipped; the caller holds the write lock, so
	 * that no frame is committed meanwhile.
	 * @throws WalContinuityException if the WAL restarted before its frames were shipped
	 */
	synchronized void hold() throws IOException {
		requireGeneration();
		if (this.held != null) {
			throw new IllegalStateException("The held segment " + this.held.offset() + " was not uploaded");
		}
		if (!followLife()) {
			return;
		}
		CommittedWal committed = this.scanner.committed(this.header, Math.max(this.offset, WalHeader.SIZE),
				this.checksum);
		if (committed.length() <= this.offset) {
			return;
		}
		this.held = new HeldSegment(this.generation, this.index, this.offset,
				this.scanner.read(this.offset, committed.length()));
		this.offset = committed.length();
		this.checksum = committed.checksum();
	}

	synchronized Optional<HeldSegment> held() {
		return Optional.ofNullable(this.held);
	}

	synchronized void heldUploaded(HeldSegment segment) {
		if (this.held == segment) {
			this.held = null;
		}
	}

	/**
	 * Record a checkpoint that copied every frame of a WAL life into the database. Callers pass only
	 * checkpoints that could not copy a frame the replica lacks.
	 * @param life the header of the life the checkpoint saw
	 * @param frames the frames it copied, all of the life's
	 */
	synchronized void backfilled(WalHeader life, int frames) {
		this.checkpoint.record(life, frames);
	}

	/** Whether the database file holds exactly what the replica holds (a clean stop can continue from it). */
	synchronized boolean checkpointedEverything() {
		if (this.header == null) {
			// nothing of this index was shipped: the snapshot or the previous index holds everything
			return this.generation != null;
		}
		return this.held == null && this.checkpoint.holdsExactly(this.header, this.offset);
	}

	/**
	 * Whether frames were appended to a WAL life after a checkpoint copied all of it: the next writer did
	 * not restart the WAL (a reader held a read mark at that moment), so the life goes on growing.
	 */
	synchronized boolean restartMissed() throws IOException {
		Optional<WalHeader> current = this.scanner.header();
		return current.isPresent() && this.checkpoint.copied(current.get())
				&& committedLength(current.get()) > this.checkpoint.length();
	}

	/** Read the current WAL header, empty without a WAL. */
	Optional<WalHeader> currentHeader() throws IOException {
		synchronized (this) {
			return this.scanner.header();
		}
	}

	/** Adopt the WAL's current life: the first of this index, or after an allowed restart the next index. */
	private boolean followLife() throws IOException {
		Optional<WalHeader> current = this.scanner.header();
		if (current.isEmpty()) {
			return false;
		}
		if (this.offset == 0) {
			// nothing shipped in this index yet: its snapshot holds everything before this WAL life
			adopt(current.get(), this.index);
		}
		else if (!current.get().sameLife(this.header)) {
			if (!this.checkpoint.allowsRestart(this.header, this.offset)) {
				throw new WalContinuityException("The WAL of " + this.database + " restarted at " + position()
						+ " before its frames were shipped; start a new generation");
			}
			adopt(current.get(), this.index + 1);
		}
		return true;
	}

	private void adopt(WalHeader walHeader, long walIndex) {
		this.index = walIndex;
		this.header = walHeader;
		this.offset = 0;
		this.checksum = walHeader.checksum();
	}

	private WalSegment nothing() {
		return new WalSegment(this.header, this.checksum, this.generation, this.index, this.offset, this.offset,
				this.checksum);
	}

	private void requireGeneration() {
		if (this.generation == null) {
			throw new IllegalStateException("No generation: call startGeneration() first");
		}
	}

}
