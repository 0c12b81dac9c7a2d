package io.github.s3lite.nativeengine.wal;

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
		int frameSize = header.frameSize();
		if (from < WalHeader.SIZE || (from - WalHeader.SIZE) % frameSize != 0) {
			throw new IllegalArgumentException("Offset " + from + " is not a frame boundary for page size "
					+ header.pageSize());
		}
		ByteOrder order = header.checksumOrder();
		ByteBuffer frame = ByteBuffer.allocate(frameSize).order(ByteOrder.BIG_ENDIAN);
		WalChecksum running = seed;
		CommittedWal committed = new CommittedWal(header, from, seed, 0, 0);
		int commits = 0;
		for (long offset = from; readFully(channel, frame.clear(), offset); offset += frameSize) {
			WalFrame frameHeader = WalFrame.read(frame);
			if (frameHeader.salt1() != header.salt1() || frameHeader.salt2() != header.salt2()) {
				break;
			}
			running = running.update(frame.duplicate().position(0).limit(8), order)
				.update(frame.duplicate().position(WalFrame.HEADER_SIZE).limit(frameSize), order);
			if (!running.equals(frameHeader.checksum())) {
				break;
			}
			if (frameHeader.isCommit()) {
				commits++;
				committed = new CommittedWal(header, offset + frameSize, running, commits, frameHeader.commitSize());
			}
		}
		return committed;
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
