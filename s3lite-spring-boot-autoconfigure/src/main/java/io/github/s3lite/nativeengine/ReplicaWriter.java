package io.github.s3lite.nativeengine;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;
import java.util.OptionalInt;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.s3lite.nativeengine.format.ReplicaFormat;
import io.github.s3lite.nativeengine.wal.CommittedWal;
import io.github.s3lite.nativeengine.wal.WalChecksum;
import io.github.s3lite.nativeengine.wal.WalHeader;
import io.github.s3lite.nativeengine.wal.WalReader;
import io.github.s3lite.replication.WalPosition;
import io.github.s3lite.storage.ReplicaStore;

/**
 * Writes a live WAL-mode database to a replica: a generation starts with a snapshot, then
 * {@link #ship()} uploads the committed WAL bytes since the last call as one segment, and
 * {@link #checkpoint()} moves the WAL into the database without losing a frame. Positions are
 * (generation, index, offset) where an index is one life of the WAL between restarts.
 *
 * <p>
 * It must be the only checkpointer: every connection to the database needs
 * {@code wal_autocheckpoint=0}. Its own connections stay open so that SQLite never checkpoints and
 * deletes the WAL on a last close. A checkpoint runs while this writer holds the write lock after
 * shipping every committed frame, so a WAL restart (which overwrites frames) can only follow frames
 * already shipped; a restart seen at any other time is a {@link WalContinuityException}. Not
 * thread-safe beyond its own methods, which are synchronized; scheduling is the caller's.
 */
public final class ReplicaWriter implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(ReplicaWriter.class);

	private final Path database;

	private final Path wal;

	private final ReplicaStore store;

	private final ReplicaFormat format;

	private final SqliteControl sqlite;

	private String generation;

	private long index;

	private WalHeader header;

	private long offset;

	private WalChecksum checksum;

	/** Up to this many unshipped bytes are copied into memory at a checkpoint instead of shipped first. */
	static final long HOLD_LIMIT = 32L * 1024 * 1024;

	/** The last committed prefix scanned, to continue from. */
	private CommittedWal lastScan;

	/** Committed bytes copied under the write lock and not uploaded yet; they are uploaded first. */
	private HeldSegment held;

	/** The WAL life and its length when a checkpoint last copied every frame into the database. */
	private WalHeader backfilledLife;

	private long backfilledLength;

	private ReplicaWriter(Path database, ReplicaStore store, ReplicaFormat format, SqliteControl sqlite) {
		this.database = database;
		this.wal = database.resolveSibling(database.getFileName() + "-wal");
		this.store = store;
		this.format = format;
		this.sqlite = sqlite;
	}

	/**
	 * Open a writer on a database in WAL mode.
	 * @param database the database file
	 * @param store the replica
	 * @param format the replica format
	 * @return the writer, with no generation yet
	 * @throws IOException if the database cannot be opened or is not in WAL mode
	 */
	public static ReplicaWriter open(Path database, ReplicaStore store, ReplicaFormat format) throws IOException {
		Path file = database.toAbsolutePath().normalize();
		return new ReplicaWriter(file, store, format, SqliteControl.open(file));
	}

	/**
	 * Start a new generation: checkpoint the whole WAL into the database (TRUNCATE, so that the new
	 * generation does not begin by re-uploading frames its snapshot holds), snapshot the database as
	 * index 0 and ship the WAL written since. The checkpoint waits for no one (a writer or a long
	 * reader would otherwise be blocked or starved); one that cannot complete only means a longer first
	 * segment.
	 * @return the position reached
	 * @throws IOException on a storage, file or SQLite error
	 */
	public synchronized WalPosition startGeneration() throws IOException {
		this.generation = this.format.newGeneration();
		this.index = 0;
		this.header = null;
		this.offset = 0;
		this.backfilledLife = null;
		// the new generation's snapshot holds whatever the old one's held segment had
		this.held = null;
		logger.info("Starting generation {} of {} on {}", this.generation, this.database, this.store.location());
		this.sqlite.checkpointTruncateWithoutWaiting();
		uploadSnapshot();
		return ship();
	}

	/**
	 * Continue a generation after a clean stop: the database file holds every frame of the generation
	 * up to {@code lastIndex}, so the next WAL life starts index {@code lastIndex + 1}, header first. The
	 * caller must have proven that the database is unchanged since that stop.
	 * @param generation the generation
	 * @param lastIndex the last WAL index already in the replica
	 * @return the position
	 */
	public synchronized WalPosition continueGeneration(String generation, long lastIndex) {
		this.generation = generation;
		this.index = lastIndex + 1;
		this.header = null;
		this.offset = 0;
		this.backfilledLife = null;
		this.held = null;
		logger.info("Continuing generation {} of {} on {} at index {}", generation, this.database,
				this.store.location(), String.format("%08x", this.index));
		return position();
	}

	/**
	 * Return the committed WAL bytes not shipped yet, read from the local WAL only (no network). A WAL
	 * restarted since the last shipment counts as a whole.
	 * @return the bytes, 0 when the replica has every committed frame
	 * @throws IOException on a file error
	 */
	public synchronized long pendingBytes() throws IOException {
		if (this.generation == null) {
			return 0;
		}
		return ((this.held != null) ? this.held.bytes().length : 0) + pendingInWal();
	}

	private long pendingInWal() throws IOException {
		try (FileChannel channel = FileChannel.open(this.wal, StandardOpenOption.READ)) {
			Optional<WalHeader> current = WalReader.readHeader(channel);
			if (current.isEmpty()) {
				return 0;
			}
			if (this.offset == 0 || !current.get().sameLife(this.header)) {
				long length = committedPrefix(channel, current.get(), WalHeader.SIZE,
						current.get().checksum()).length();
				return (length > WalHeader.SIZE) ? length : 0;
			}
			return committedPrefix(channel, this.header, this.offset, this.checksum).length() - this.offset;
		}
		catch (NoSuchFileException ex) {
			return 0;
		}
	}

	/**
	 * Return whether the last checkpoint copied every shipped frame of the current WAL into the
	 * database and nothing was shipped since, so that the database file equals the replica's state.
	 * @return whether the database holds exactly what the replica holds
	 */
	public synchronized boolean checkpointedEverything() {
		if (this.header == null) {
			// nothing of this index was shipped: the snapshot or the previous index holds everything
			return this.generation != null;
		}
		return this.held == null && this.backfilledLife != null && this.backfilledLife.sameLife(this.header)
				&& this.backfilledLength == this.offset;
	}

	/**
	 * Upload the committed WAL bytes written since the last call as one segment. A WAL restarted by
	 * this writer's checkpoint ends the index: its tail was shipped then, and the new WAL starts the
	 * next index, header first.
	 * @return the position reached
	 * @throws WalContinuityException if the WAL restarted before its frames were shipped
	 * @throws IOException on a storage or file error
	 */
	public synchronized WalPosition ship() throws IOException {
		if (this.generation == null) {
			throw new IllegalStateException("No generation: call startGeneration() first");
		}
		uploadHeld();
		try (FileChannel channel = FileChannel.open(this.wal, StandardOpenOption.READ)) {
			Optional<WalHeader> current = WalReader.readHeader(channel);
			if (current.isEmpty()) {
				return position();
			}
			if (this.offset == 0) {
				// nothing shipped in this index yet: its snapshot holds everything before this WAL life
				adopt(current.get(), this.index);
			}
			else if (!current.get().sameLife(this.header)) {
				if (!restartAllowed()) {
					throw new WalContinuityException("The WAL of " + this.database + " restarted at " + position()
							+ " before its frames were shipped; start a new generation");
				}
				adopt(current.get(), this.index + 1);
			}
			CommittedWal committed = committedPrefix(channel, this.header,
					Math.max(this.offset, WalHeader.SIZE), this.checksum);
			if (this.offset > 0 && committed.length() == this.offset) {
				return position();
			}
			upload(channel, committed.length());
			this.offset = committed.length();
			this.checksum = committed.checksum();
			return position();
		}
		catch (NoSuchFileException ex) {
			return position();
		}
	}

	/**
	 * Scan the committed prefix, continuing the last scan of the same WAL life: committed frames are
	 * never rewritten within a life, so each poll reads only what was appended since.
	 */
	private CommittedWal committedPrefix(FileChannel channel, WalHeader life, long from, WalChecksum seed)
			throws IOException {
		CommittedWal last = this.lastScan;
		CommittedWal scanned = (last != null && last.header().sameLife(life) && last.length() >= from)
				? WalReader.committedPrefix(channel, life, last.length(), last.checksum())
				: WalReader.committedPrefix(channel, life, from, seed);
		this.lastScan = scanned;
		return scanned;
	}

	private void adopt(WalHeader walHeader, long walIndex) {
		this.index = walIndex;
		this.header = walHeader;
		this.offset = 0;
		this.checksum = walHeader.checksum();
	}

	/**
	 * SQLite restarts the WAL only once a checkpoint copied every frame and no frame was appended since,
	 * and only this writer checkpoints: a restart is safe when that checkpoint saw this life and every
	 * byte it had is shipped.
	 */
	private boolean restartAllowed() {
		return this.backfilledLife != null && this.backfilledLife.sameLife(this.header)
				&& this.offset >= this.backfilledLength;
	}

	private void upload(FileChannel channel, long end) throws IOException {
		long start = this.offset;
		this.store.write(this.format.walSegmentKey(this.generation, this.index, start), (out) -> {
			try (OutputStream encoded = this.format.encode(out)) {
				copy(channel, start, end, encoded);
			}
		});
		logger.debug("Shipped {}/{} bytes {}..{}", this.generation, this.index, start, end);
	}

	private static void copy(FileChannel channel, long from, long to, OutputStream out) throws IOException {
		ByteBuffer buffer = ByteBuffer.allocate(256 * 1024);
		for (long at = from; at < to;) {
			buffer.clear().limit((int) Math.min(buffer.capacity(), to - at));
			int read = channel.read(buffer, at);
			if (read < 0) {
				throw new IOException("The WAL shrank while being shipped");
			}
			out.write(buffer.array(), 0, read);
			at += read;
		}
	}

	/**
	 * Checkpoint without losing a frame and without making application writers wait for the network:
	 * take the write lock, copy the committed bytes not shipped yet into memory (after shipping first
	 * when they exceed {@value #HOLD_LIMIT} bytes), copy the WAL into the database (PASSIVE, from a
	 * second connection), release the lock, upload the copy. The WAL can restart as soon as the lock is
	 * released, before the upload, so its size does not depend on the upload's speed; the next write
	 * restarts it, which {@link #ship()} sees as the next index.
	 * @return the position reached
	 * @throws IOException on a storage, file or SQLite error
	 */
	public synchronized WalPosition checkpoint() throws IOException {
		uploadHeld();
		if (pendingInWal() > HOLD_LIMIT) {
			ship();
		}
		this.sqlite.whileWriteLocked(() -> {
			holdTail();
			checkpointPassive();
		});
		uploadHeld();
		return position();
	}

	/** Copy the committed bytes not shipped yet into memory; the caller holds the write lock. */
	private void holdTail() throws IOException {
		try (FileChannel channel = FileChannel.open(this.wal, StandardOpenOption.READ)) {
			Optional<WalHeader> current = WalReader.readHeader(channel);
			if (current.isEmpty()) {
				return;
			}
			if (this.offset == 0) {
				adopt(current.get(), this.index);
			}
			else if (!current.get().sameLife(this.header)) {
				if (!restartAllowed()) {
					throw new WalContinuityException("The WAL of " + this.database + " restarted at " + position()
							+ " before its frames were shipped; start a new generation");
				}
				adopt(current.get(), this.index + 1);
			}
			CommittedWal committed = committedPrefix(channel, this.header,
					Math.max(this.offset, WalHeader.SIZE), this.checksum);
			if (committed.length() <= this.offset) {
				return;
			}
			ByteBuffer bytes = ByteBuffer.allocate(Math.toIntExact(committed.length() - this.offset));
			while (bytes.hasRemaining()) {
				if (channel.read(bytes, this.offset + bytes.position()) < 0) {
					throw new IOException("The WAL shrank while being copied");
				}
			}
			this.held = new HeldSegment(this.generation, this.index, this.offset, bytes.array());
			this.offset = committed.length();
			this.checksum = committed.checksum();
		}
		catch (NoSuchFileException ex) {
			// no WAL, nothing to hold
		}
	}

	private void uploadHeld() throws IOException {
		if (this.held != null) {
			this.held.upload(this.store, this.format);
			logger.debug("Shipped {}/{} bytes from {} held across a checkpoint", this.held.generation(),
					this.held.index(), this.held.offset());
			this.held = null;
		}
	}

	/**
	 * Take a new snapshot in the current generation, named by the current index, after shipping and
	 * checkpointing, so that the snapshot never holds a page the replica's WAL does not.
	 * @return the position reached
	 * @throws IOException on a storage, file or SQLite error
	 */
	public synchronized WalPosition snapshot() throws IOException {
		checkpoint();
		uploadSnapshot();
		return position();
	}

	private void uploadSnapshot() throws IOException {
		String key = this.format.snapshotKey(this.generation, this.index);
		// the file only changes when this writer checkpoints; the read transaction is litestream's habit
		this.sqlite.whileReading(() -> this.store.write(key, (out) -> {
			try (InputStream in = Files.newInputStream(this.database); OutputStream encoded = this.format.encode(out)) {
				in.transferTo(encoded);
			}
		}));
		logger.info("Snapshot {} of {} stored", key, this.database);
	}

	/** Run a PASSIVE checkpoint; the caller holds the write lock, so the WAL cannot change meanwhile. */
	private void checkpointPassive() throws IOException {
		OptionalInt frames = this.sqlite.checkpointPassive();
		if (frames.isEmpty()) {
			return;
		}
		try (FileChannel channel = FileChannel.open(this.wal, StandardOpenOption.READ)) {
			Optional<WalHeader> life = WalReader.readHeader(channel);
			if (life.isPresent()) {
				this.backfilledLife = life.get();
				this.backfilledLength = WalHeader.SIZE + (long) frames.getAsInt() * life.get().frameSize();
			}
		}
		catch (NoSuchFileException ex) {
			// no WAL, nothing to restart
		}
	}

	/**
	 * Return the replicated position.
	 * @return generation, index and shipped offset; {@code null} before the first generation
	 */
	public synchronized WalPosition position() {
		if (this.held != null) {
			return new WalPosition(this.held.generation(), this.held.index(), this.held.offset());
		}
		return (this.generation != null) ? new WalPosition(this.generation, this.index, this.offset) : null;
	}

	@Override
	public synchronized void close() throws IOException {
		this.sqlite.close();
	}

}
