package io.github.s3lite.internal.nativeengine.wal;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;
import java.util.Optional;

/**
 * The 32-byte header of an SQLite WAL file. Fields are big-endian; the magic says in which byte
 * order the checksums read their words ({@code 0x377f0683}: big-endian, {@code 0x377f0682}:
 * little-endian). A new header (new salts) is written every time the WAL restarts.
 *
 * @param bytes the 32 raw bytes
 * @param magic the magic number
 * @param formatVersion the file format version (3007000)
 * @param pageSize the database page size
 * @param checkpointSequence the checkpoint sequence number
 * @param salt1 the first salt, copied into every frame of this WAL life
 * @param salt2 the second salt, copied into every frame of this WAL life
 * @param checksum the checksum over the first 24 bytes
 */
public record WalHeader(byte[] bytes, int magic, int formatVersion, int pageSize, int checkpointSequence, int salt1,
		int salt2, WalChecksum checksum) {

	/** Size of the header in bytes. */
	public static final int SIZE = 32;

	/** Magic for little-endian checksums. */
	public static final int MAGIC_LITTLE_ENDIAN = 0x377f0682;

	/** Magic for big-endian checksums. */
	public static final int MAGIC_BIG_ENDIAN = 0x377f0683;

	private static final int FORMAT_VERSION = 3007000;

	/**
	 * Parse a header the way SQLite accepts it: known magic and version, a power-of-two page size
	 * between 512 and 65536, and a checksum that matches.
	 * @param bytes at least 32 bytes
	 * @return the header, or empty when SQLite would ignore the WAL
	 */
	public static Optional<WalHeader> parse(byte[] bytes) {
		if (bytes.length < SIZE) {
			return Optional.empty();
		}
		byte[] own = Arrays.copyOf(bytes, SIZE);
		ByteBuffer buffer = ByteBuffer.wrap(own).order(ByteOrder.BIG_ENDIAN);
		int magic = buffer.getInt(0);
		int pageSize = buffer.getInt(8);
		if ((magic != MAGIC_LITTLE_ENDIAN && magic != MAGIC_BIG_ENDIAN) || buffer.getInt(4) != FORMAT_VERSION
				|| pageSize < 512 || pageSize > 65536 || Integer.bitCount(pageSize) != 1) {
			return Optional.empty();
		}
		WalChecksum stored = new WalChecksum(buffer.getInt(24), buffer.getInt(28));
		WalChecksum computed = WalChecksum.ZERO.update(ByteBuffer.wrap(own, 0, 24), checksumOrder(magic));
		if (!stored.equals(computed)) {
			return Optional.empty();
		}
		return Optional.of(new WalHeader(own, magic, FORMAT_VERSION, pageSize, buffer.getInt(12), buffer.getInt(16),
				buffer.getInt(20), stored));
	}

	private static ByteOrder checksumOrder(int magic) {
		return (magic == MAGIC_BIG_ENDIAN) ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
	}

	/**
	 * Return the byte order of the checksum words.
	 * @return big- or little-endian, per the magic
	 */
	public ByteOrder checksumOrder() {
		return checksumOrder(this.magic);
	}

	/**
	 * Return the size of one frame: 24-byte frame header plus one page.
	 * @return the frame size in bytes
	 */
	public int frameSize() {
		return WalFrame.HEADER_SIZE + this.pageSize;
	}

	/**
	 * Return whether another header starts the same WAL life (same salts and checksum).
	 * @param other the other header
	 * @return {@code true} when both are byte-for-byte equal
	 */
	public boolean sameLife(WalHeader other) {
		return other != null && Arrays.equals(this.bytes, other.bytes);
	}

	/**
	 * Return a copy of the raw bytes.
	 * @return the 32 bytes
	 */
	@Override
	public byte[] bytes() {
		return this.bytes.clone();
	}

	@Override
	public boolean equals(Object obj) {
		return (obj instanceof WalHeader other) && sameLife(other);
	}

	@Override
	public int hashCode() {
		return Arrays.hashCode(this.bytes);
	}

	@Override
	public String toString() {
		return String.format("WalHeader[magic=%08x, pageSize=%d, checkpointSequence=%d, salt1=%08x, salt2=%08x]",
				this.magic, this.pageSize, this.checkpointSequence, this.salt1, this.salt2);
	}

}
