package io.github.s3lite.internal.nativeengine.wal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

/**
 * Reads SQLite WAL files: the header, and the committed prefix, verifying salts and the checksum
 * chain frame by frame the way SQLite's recovery does. It only reads, takes no lock and tolerates a
 * WAL that is being appended to: a frame still being written fails its checksum and ends the prefix.
 */
public final class WalReader {

	/** How many bytes one read of a scan asks for at most, the size of a scan buffer worth reusing. */
	public static final int CHUNK_BYTES = 256 * 1024;

	private WalReader() {
	}

	/**
	 * Read the header of a WAL file.
	 * @param channel the WAL file
	 * @return the header, or empty when the file is shorter than a header or SQLite would ignore it
	 * @throws IOException on a read error
	 */
	public static Optional<WalHeader> readHeader(FileChannel channel) throws IOException {
		ByteBuffer buffer = ByteBuffer.allocate(WalHeader.SIZE);
		if (!readFully(channel, buffer, 0)) {
			return Optional.empty();
		}
		return WalHeader.parse(buffer.array());
	}

	/**
	 * Find the committed prefix of a whole WAL file.
	 * @param wal the WAL file
	 * @return the committed prefix, or empty when the file is missing or has no valid header
	 * @throws IOException on a read error
	 */
	public static Optional<CommittedWal> committedPrefix(Path wal) throws IOException {
		try (FileChannel channel = FileChannel.open(wal, StandardOpenOption.READ)) {
			Optional<WalHeader> header = readHeader(channel);
			if (header.isEmpty()) {
				return Optional.empty();
			}
			return Optional.of(committedPrefix(channel, header.get(), WalHeader.SIZE, header.get().checksum()));
		}
		catch (NoSuchFileException ex) {
			return Optional.empty();
		}
	}

	/**
	 * Continue a committed prefix: scan frames from a frame boundary whose checksum is known.
	 * @param channel the WAL file
	 * @param header the header of the WAL life being scanned
	 * @param from the offset of the first frame to scan (32 for the first frame)
	 * @param seed the cumulative checksum before that frame (the header's checksum for the first)
	 * @return the committed prefix; its length is {@code from} when no further commit is found
	 * @throws IOException on a read error
	 */
	public static CommittedWal committedPrefix(FileChannel channel, WalHeader header, long from, WalChecksum seed)
			throws IOException {
		return committedPrefix(channel, header, from, seed, null);
	}

	/**
	 * As {@link #committedPrefix(FileChannel, WalHeader, long, WalChecksum)}, reading into a buffer the
	 * caller reuses across scans, so that scanning often allocates nothing.
	 * @param channel the WAL file
	 * @param header the header of the WAL life being scanned
	 * @param from the offset of the first frame to scan (32 for the first frame)
	 * @param seed the cumulative checksum before that frame (the header's checksum for the first)
	 * @param scratch a heap buffer of at least one frame, or {@code null} to allocate one
	 * @return the committed prefix; its length is {@code from} when no further commit is found
	 * @throws IOException on a read error
	 */
	public static CommittedWal committedPrefix(FileChannel channel, WalHeader header, long from, WalChecksum seed,
			ByteBuffer scratch) throws IOException {
		int frameSize = header.frameSize();
		if (from < WalHeader.SIZE || (from - WalHeader.SIZE) % frameSize != 0) {
			throw new IllegalArgumentException("Offset " + from + " is not a frame boundary for page size "
					+ header.pageSize());
		}
		CommittedWal committed = new CommittedWal(header, from, seed, 0, 0);
		long available = (channel.size() - from) / frameSize;
		if (available <= 0) {
			return committed;
		}
		ByteOrder order = header.checksumOrder();
		// many frames per read: a scan of what a busy writer appended costs few system calls
		ByteBuffer chunk = (scratch != null && scratch.hasArray() && scratch.capacity() >= frameSize)
				? scratch.clear().limit(scratch.capacity() / frameSize * frameSize)
				: ByteBuffer.allocate((int) Math.min(available, Math.max(1, CHUNK_BYTES / frameSize)) * frameSize);
		chunk.order(ByteOrder.BIG_ENDIAN);
		byte[] bytes = chunk.array();
		int base = chunk.arrayOffset();
		WalChecksum running = seed;
		int commits = 0;
		long offset = from;
		while (true) {
			int frames = readFrames(channel, chunk, offset, frameSize);
			for (int i = 0; i < frames; i++, offset += frameSize) {
				int at = i * frameSize;
				if (chunk.getInt(at + 8) != header.salt1() || chunk.getInt(at + 12) != header.salt2()) {
					return committed;
				}
				running = running.update(bytes, base + at, 8, order)
					.update(bytes, base + at + WalFrame.HEADER_SIZE, frameSize - WalFrame.HEADER_SIZE, order);
				if (running.s1() != chunk.getInt(at + 16) || running.s2() != chunk.getInt(at + 20)) {
					return committed;
				}
				int commitSize = chunk.getInt(at + 4);
				if (commitSize != 0) {
					commits++;
					committed = new CommittedWal(header, offset + frameSize, running, commits, commitSize);
				}
			}
			if (frames < chunk.limit() / frameSize) {
				return committed;
			}
		}
	}

	/**
	 * Read as many whole frames as fit in the buffer (fewer at the end of the file).
	 * @return the number of whole frames read
	 */
	private static int readFrames(FileChannel channel, ByteBuffer buffer, long position, int frameSize)
			throws IOException {
		buffer.position(0);
		while (buffer.hasRemaining()) {
			int read = channel.read(buffer, position + buffer.position());
			if (read < 0) {
				break;
			}
		}
		return buffer.position() / frameSize;
	}

	private static boolean readFully(FileChannel channel, ByteBuffer buffer, long position) throws IOException {
		long at = position;
		while (buffer.hasRemaining()) {
			int read = channel.read(buffer, at);
			if (read < 0) {
				return false;
			}
			at += read;
		}
		buffer.flip();
		return true;
	}

}
