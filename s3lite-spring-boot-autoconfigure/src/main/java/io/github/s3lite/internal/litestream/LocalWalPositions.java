package io.github.s3lite.internal.litestream;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.TreeMap;

import io.github.s3lite.internal.replication.WalPosition;

/**
 * Reads the position litestream has captured locally from its meta directory next to the database
 * ({@code .<file>-litestream/generation} and the shadow WAL files
 * {@code generations/<gen>/wal/<8-hex index>.wal}), without talking to litestream, and whether the
 * shadow WAL holds everything in the database's own WAL file.
 */
final class LocalWalPositions {

	private static final int WAL_HEADER = 32;

	private static final int FRAME_HEADER = 24;

	private final Path database;

	private final Path metaDirectory;

	private final Path wal;

	LocalWalPositions(Path database) {
		this.database = database;
		this.metaDirectory = database.resolveSibling("." + database.getFileName() + "-litestream");
		this.wal = database.resolveSibling(database.getFileName() + "-wal");
	}

	/**
	 * Read the header and size of the database's WAL file. Read it before the shadow WAL: what the WAL
	 * held then is all in the shadow WAL when {@link Snapshot#captures(WalFile)} says so.
	 * @return the WAL file's state, or {@code null} when there is none
	 */
	WalFile walFile() {
		return readWalFile(this.wal);
	}

	private static WalFile readWalFile(Path file) {
		try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
			long size = channel.size();
			ByteBuffer header = ByteBuffer.allocate(WAL_HEADER);
			while (header.hasRemaining() && channel.read(header, header.position()) > 0) {
				// read the whole header
			}
			return new WalFile(Arrays.copyOf(header.array(), header.position()), size);
		}
		catch (IOException ex) {
			return null;
		}
	}

	/**
	 * Return the current local position.
	 * @return the position, or {@code null} before litestream captured anything
	 */
	WalPosition current() {
		Snapshot snapshot = snapshot();
		return (snapshot != null) ? snapshot.position() : null;
	}

	/**
	 * Read the local shadow WAL once.
	 * @return what litestream has captured, or {@code null} before it captured anything
	 */
	Snapshot snapshot() {
		try {
			String generation = Files.readString(this.metaDirectory.resolve("generation")).strip();
			if (generation.isEmpty()) {
				return null;
			}
			long pageSize = pageSize();
			TreeMap<Long, Long> sizes = new TreeMap<>();
			Path walDirectory = this.metaDirectory.resolve("generations").resolve(generation).resolve("wal");
			try (DirectoryStream<Path> files = Files.newDirectoryStream(walDirectory, "*.wal")) {
				for (Path file : files) {
					String name = file.getFileName().toString();
					try {
						long index = Long.parseLong(name.substring(0, name.length() - 4), 16);
						sizes.put(index, aligned(Files.size(file), pageSize));
					}
					catch (NumberFormatException | NoSuchFileException ex) {
						// not a shadow WAL file, or removed by litestream meanwhile
					}
				}
			}
			if (sizes.isEmpty()) {
				return null;
			}
			var last = sizes.lastEntry();
			WalFile lastShadow = readWalFile(walDirectory.resolve(String.format("%08x.wal", last.getKey())));
			return new Snapshot(generation, sizes, new WalPosition(generation, last.getKey(), last.getValue()),
					lastShadow);
		}
		catch (IOException ex) {
			return null;
		}
	}

	private long pageSize() throws IOException {
		try (FileChannel channel = FileChannel.open(this.database, StandardOpenOption.READ)) {
			ByteBuffer header = ByteBuffer.allocate(2);
			channel.read(header, 16);
			header.flip();
			int value = Short.toUnsignedInt(header.getShort());
			return (value == 1) ? 65536 : value;
		}
	}

	static long aligned(long size, long pageSize) {
		if (size <= WAL_HEADER || pageSize <= 0) {
			return Math.min(size, WAL_HEADER);
		}
		long frame = pageSize + FRAME_HEADER;
		return WAL_HEADER + ((size - WAL_HEADER) / frame) * frame;
	}

	/**
	 * The header and size of a WAL file.
	 *
	 * @param header its first bytes, up to the 32-byte header
	 * @param size its size in bytes
	 */
	record WalFile(byte[] header, long size) {

	}

	/**
	 * The shadow WAL of the current generation: frame-aligned size per WAL index, the position, and the
	 * shadow file of the newest index.
	 */
	record Snapshot(String generation, TreeMap<Long, Long> sizes, WalPosition position, WalFile lastShadow) {

		/**
		 * Return whether the shadow WAL holds everything the database's WAL file held: the newest shadow
		 * file starts with the same header (the same life of the WAL, which only grows until it restarts
		 * with a new header) and is exactly as long. Anything else (frames not captured yet, a restarted WAL,
		 * frames of a transaction in progress) answers {@code false}.
		 * @param wal the database's WAL file, read before this snapshot
		 * @return whether nothing in the WAL file is missing from the shadow WAL
		 */
		boolean captures(WalFile wal) {
			return wal != null && this.lastShadow != null && wal.header().length == WAL_HEADER
					&& Arrays.equals(wal.header(), this.lastShadow.header()) && wal.size() == this.lastShadow.size();
		}

		/**
		 * Return how many WAL bytes the local position is ahead of a replica position.
		 * @param replica the replica position, or {@code null} if unknown
		 * @return the bytes not yet known in the replica
		 */
		long lagBytes(WalPosition replica) {
			boolean sameGeneration = replica != null && this.generation.equals(replica.generation());
			long lag = 0;
			for (var entry : this.sizes.entrySet()) {
				long index = entry.getKey();
				long size = entry.getValue();
				if (!sameGeneration || index > replica.index()) {
					lag += size;
				}
				else if (index == replica.index()) {
					lag += Math.max(0, size - replica.offset());
				}
			}
			return lag;
		}

	}

}
