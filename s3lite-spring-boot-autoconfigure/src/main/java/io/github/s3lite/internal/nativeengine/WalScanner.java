package io.github.s3lite.internal.nativeengine;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

import io.github.s3lite.internal.nativeengine.wal.CommittedWal;
import io.github.s3lite.internal.nativeengine.wal.WalChecksum;
import io.github.s3lite.internal.nativeengine.wal.WalHeader;
import io.github.s3lite.internal.nativeengine.wal.WalReader;

/**
 * Reads the local WAL file without any lock: its header, its committed prefix (continuing the last
 * scan of the same life, since committed frames are never rewritten within a life, so that each poll
 * reads only what was appended) and byte ranges. A missing file reads as an empty WAL. Not thread-safe:
 * {@link ReplicatedWal} calls it under its lock.
 */
final class WalScanner {

	private final Path wal;

	private CommittedWal lastScan;

	/** Reused by every scan, so that polling a busy WAL allocates no read buffers. */
	private final ByteBuffer scratch = ByteBuffer.allocate(WalReader.CHUNK_BYTES);

	WalScanner(Path wal) {
		this.wal = wal;
	}

	Path file() {
		return this.wal;
	}

	/** The current header, empty without a WAL or with one SQLite would ignore. */
	Optional<WalHeader> header() throws IOException {
		try (FileChannel channel = FileChannel.open(this.wal, StandardOpenOption.READ)) {
			return WalReader.readHeader(channel);
		}
		catch (NoSuchFileException ex) {
			return Optional.empty();
		}
	}

	/**
	 * The committed prefix of a life from a frame boundary whose checksum is known.
	 * @return the prefix; its length is {@code from} when nothing further is committed or there is no WAL
	 */
	CommittedWal committed(WalHeader life, long from, WalChecksum seed) throws IOException {
		try (FileChannel channel = FileChannel.open(this.wal, StandardOpenOption.READ)) {
			CommittedWal last = this.lastScan;
			CommittedWal scanned = (last != null && last.header().sameLife(life) && last.length() >= from)
					? WalReader.committedPrefix(channel, life, last.length(), last.checksum(), this.scratch)
					: WalReader.committedPrefix(channel, life, from, seed, this.scratch);
			this.lastScan = scanned;
			return scanned;
		}
		catch (NoSuchFileException ex) {
			return new CommittedWal(life, from, seed, 0, 0);
		}
	}

	/** Copy the bytes {@code [from, to)}. */
	byte[] read(long from, long to) throws IOException {
		try (FileChannel channel = FileChannel.open(this.wal, StandardOpenOption.READ)) {
			ByteBuffer bytes = ByteBuffer.allocate(Math.toIntExact(to - from));
			while (bytes.hasRemaining()) {
				if (channel.read(bytes, from + bytes.position()) < 0) {
					throw new IOException("The WAL shrank while being copied");
				}
			}
			return bytes.array();
		}
	}

}
