package io.github.s3lite.internal.nativeengine;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.s3lite.internal.nativeengine.format.ReplicaFormat;
import io.github.s3lite.internal.replication.WalPosition;
import io.github.s3lite.internal.storage.ReplicaStore;

/**
 * Writes a live WAL-mode database to a replica: a generation starts with a snapshot, then
 * {@link #ship()} uploads the committed WAL bytes since the last call as one segment, and
 * {@link #checkpoint()} moves the WAL into the database without losing a frame. Positions are
 * (generation, index, offset) where an index is one life of the WAL between restarts.
 *
 * <p>
 * It must be the only checkpointer: every connection to the database needs
 * {@code wal_autocheckpoint=0}. Its own connections stay open so that SQLite never checkpoints and
 * deletes the WAL on a last close. Shipping, checkpoints and snapshots run one at a time; the local
 * observations ({@link #position()}, {@link #pendingBytes()}, {@link #walLength()}) never wait for
 * them, so they stay current while an upload hangs. What is tracked is {@link ReplicatedWal}'s, the
 * uploads {@link WalShipper}'s and the checkpoint algorithm {@link WalCheckpointer}'s.
 */
public final class ReplicaWriter implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(ReplicaWriter.class);

	/** The WAL bound when none is given: the default of {@code s3lite.native-engine.max-wal-size}. */
	static final long DEFAULT_MAX_WAL_SIZE = 64L * 1024 * 1024;

	private final Path database;

	private final ReplicaStore store;

	private final ReplicaFormat format;

	private final SqliteControl sqlite;

	private final WriterPause pause;

	private final ReplicatedWal wal;

	private final WalShipper shipper;

	private final WalCheckpointer checkpointer;

	private final LastUploadedKey uploads;

	/** Serializes everything that uploads or checkpoints; never taken by the local observations. */
	private final Object shipping = new Object();

	private ReplicaWriter(Path database, ReplicaStore store, ReplicaFormat format, SqliteControl sqlite,
			WriterPause pause, long maxWalSize) {
		this.database = database;
		this.uploads = new LastUploadedKey(store);
		this.store = this.uploads;
		this.format = format;
		this.sqlite = sqlite;
		this.pause = pause;
		this.wal = new ReplicatedWal(database);
		this.shipper = new WalShipper(this.wal, this.store, format, pause, maxWalSize);
		this.checkpointer = new WalCheckpointer(this.wal, sqlite, this.shipper, maxWalSize);
	}

	/**
	 * Open a writer on a database in WAL mode, with the default WAL bound.
	 * @param database the database file
	 * @param store the replica
	 * @param format the replica format
	 * @return the writer, with no generation yet
	 * @throws IOException if the database cannot be opened or is not in WAL mode
	 */
	public static ReplicaWriter open(Path database, ReplicaStore store, ReplicaFormat format) throws IOException {
		return open(database, store, format, DEFAULT_MAX_WAL_SIZE);
	}

	/**
	 * Open a writer on a database in WAL mode.
	 * @param database the database file
	 * @param store the replica
	 * @param format the replica format
	 * @param maxWalSize the bound of the WAL ({@code s3lite.native-engine.max-wal-size})
	 * @return the writer, with no generation yet
	 * @throws IOException if the database cannot be opened or is not in WAL mode
	 */
	public static ReplicaWriter open(Path database, ReplicaStore store, ReplicaFormat format, long maxWalSize)
			throws IOException {
		Path file = database.toAbsolutePath().normalize();
		SqliteControl sqlite = SqliteControl.open(file);
		try {
			return new ReplicaWriter(file, store, format, sqlite, WriterPause.open(file), maxWalSize);
		}
		catch (IOException | RuntimeException ex) {
			sqlite.close();
			throw ex;
		}
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
	public WalPosition startGeneration() throws IOException {
		synchronized (this.shipping) {
			String generation = this.format.newGeneration();
			this.wal.begin(generation, 0);
			logger.info("Starting generation {} of {} on {}", generation, this.database, this.store.location());
			this.sqlite.checkpointTruncateWithoutWaiting();
			uploadSnapshot();
			this.shipper.shipPending();
			return position();
		}
	}

	/**
	 * Continue a generation after a clean stop: the database file holds every frame of the generation
	 * up to {@code lastIndex}, so the next WAL life starts index {@code lastIndex + 1}, header first. The
	 * caller must have proven that the database is unchanged since that stop.
	 * @param generation the generation
	 * @param lastIndex the last WAL index already in the replica
	 * @return the position
	 */
	public WalPosition continueGeneration(String generation, long lastIndex) {
		synchronized (this.shipping) {
			this.wal.begin(generation, lastIndex + 1);
			logger.info("Continuing generation {} of {} on {} at index {}", generation, this.database,
					this.store.location(), String.format("%08x", lastIndex + 1));
			return position();
		}
	}

	/**
	 * Upload the committed WAL bytes written since the last call as one segment. A WAL restarted by
	 * this writer's checkpoint ends the index: its tail was shipped then, and the new WAL starts the
	 * next index, header first.
	 * @return the position reached
	 * @throws WalContinuityException if the WAL restarted before its frames were shipped
	 * @throws IOException on a storage or file error
	 */
	public WalPosition ship() throws IOException {
		synchronized (this.shipping) {
			this.shipper.shipPending();
			return position();
		}
	}

	/**
	 * Checkpoint without losing a frame and with application writers locked out only for a moment
	 * (see {@link WalCheckpointer}); ships everything committed.
	 * @return the position reached
	 * @throws WalContinuityException if the WAL restarted before its frames were shipped
	 * @throws IOException on a storage, file or SQLite error
	 */
	public WalPosition checkpoint() throws IOException {
		synchronized (this.shipping) {
			this.checkpointer.checkpoint();
			return position();
		}
	}

	/**
	 * Take a new snapshot in the current generation, named by the current index, after shipping and
	 * checkpointing, so that the snapshot never holds a page the replica's WAL does not.
	 * @return the position reached
	 * @throws IOException on a storage, file or SQLite error
	 */
	public WalPosition snapshot() throws IOException {
		synchronized (this.shipping) {
			this.checkpointer.checkpoint();
			uploadSnapshot();
			return position();
		}
	}

	private void uploadSnapshot() throws IOException {
		String key = this.format.snapshotKey(this.wal.generation(), position().index());
		// the file only changes when this writer checkpoints; the read transaction is litestream's habit
		this.sqlite.whileReading(() -> this.store.write(key, (out) -> {
			try (InputStream in = Files.newInputStream(this.database); OutputStream encoded = this.format.encode(out)) {
				in.transferTo(encoded);
			}
		}));
		logger.info("Snapshot {} of {} stored", key, this.database);
	}

	/**
	 * Return the committed WAL bytes not in the replica yet, read from the local WAL only; never waits
	 * for an upload. A WAL restarted since the last shipment counts as a whole.
	 * @return the bytes, 0 when the replica has every committed frame
	 * @throws IOException on a file error
	 */
	public long pendingBytes() throws IOException {
		return this.wal.pendingBytes();
	}

	/**
	 * Return where the replica will hold every transaction committed now, read from the local WAL only.
	 * @return the position, {@code null} before the first generation
	 * @throws IOException on a file error
	 */
	public WalPosition committedPosition() throws IOException {
		return this.wal.committedPosition();
	}

	/**
	 * Return the length of the committed part of the WAL's current life (what a checkpoint would copy).
	 * @return the bytes, 0 without a WAL
	 * @throws IOException on a file error
	 */
	public long walLength() throws IOException {
		return this.wal.committedLength();
	}

	/**
	 * Return whether the last checkpoint copied every shipped frame of the current WAL into the
	 * database and nothing was shipped since, so that the database file equals the replica's state.
	 * @return whether the database holds exactly what the replica holds
	 */
	public boolean checkpointedEverything() {
		return this.wal.checkpointedEverything();
	}

	/**
	 * Return the key of the last object this writer uploaded: where a restore of its generation ends
	 * once the replica lists every upload.
	 * @return the key, empty before the first upload
	 */
	public Optional<String> lastUploadedKey() {
		return this.uploads.key();
	}

	/**
	 * Return the replicated position; never waits for an upload.
	 * @return generation, index and shipped offset; {@code null} before the first generation
	 */
	public WalPosition position() {
		return this.wal.position();
	}

	@Override
	public void close() throws IOException {
		synchronized (this.shipping) {
			try {
				this.pause.close();
			}
			finally {
				this.sqlite.close();
			}
		}
	}

}
