package io.github.s3lite.internal.nativeengine.wal;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Objects;

/**
 * SQLite's WAL checksum: two 32-bit sums over 8-byte steps, each step reading two 32-bit words in
 * the byte order the WAL magic names, seeded with the previous checksum so that the sums chain from
 * the header through every frame. Java's {@code int} arithmetic wraps exactly like SQLite's
 * {@code u32}.
 *
 * @param s1 the first sum
 * @param s2 the second sum
 */
public record WalChecksum(int s1, int s2) {

	/** The seed of the header checksum. */
	public static final WalChecksum ZERO = new WalChecksum(0, 0);

	private static final VarHandle BIG_ENDIAN_INTS = MethodHandles.byteArrayViewVarHandle(int[].class,
			ByteOrder.BIG_ENDIAN);

	private static final VarHandle LITTLE_ENDIAN_INTS = MethodHandles.byteArrayViewVarHandle(int[].class,
			ByteOrder.LITTLE_ENDIAN);

	/**
	 * Continue the checksum over bytes whose length is a multiple of 8.
	 * @param bytes the bytes, read from their position to their limit (the position is not moved)
	 * @param order the byte order of the words
	 * @return the new checksum
	 */
	public WalChecksum update(ByteBuffer bytes, ByteOrder order) {
		ByteBuffer words = bytes.duplicate().order(order);
		if ((words.remaining() & 7) != 0) {
			throw new IllegalArgumentException("WAL checksums run over multiples of 8 bytes, not " + words.remaining());
		}
		int a = this.s1;
		int b = this.s2;
		while (words.hasRemaining()) {
			a += words.getInt() + b;
			b += words.getInt() + a;
		}
		return new WalChecksum(a, b);
	}

	/**
	 * Continue the checksum over a range of an array whose length is a multiple of 8, without copying
	 * or allocating anything but the result.
	 * @param bytes the array
	 * @param offset where the range starts
	 * @param length the length of the range
	 * @param order the byte order of the words
	 * @return the new checksum
	 */
	public WalChecksum update(byte[] bytes, int offset, int length, ByteOrder order) {
		if ((length & 7) != 0) {
			throw new IllegalArgumentException("WAL checksums run over multiples of 8 bytes, not " + length);
		}
		Objects.checkFromIndexSize(offset, length, bytes.length);
		int a = this.s1;
		int b = this.s2;
		int end = offset + length;
		// one loop per order: a VarHandle is inlined only where it is a constant
		if (order == ByteOrder.BIG_ENDIAN) {
			for (int at = offset; at < end; at += 8) {
				a += (int) BIG_ENDIAN_INTS.get(bytes, at) + b;
				b += (int) BIG_ENDIAN_INTS.get(bytes, at + 4) + a;
			}
		}
		else {
			for (int at = offset; at < end; at += 8) {
				a += (int) LITTLE_ENDIAN_INTS.get(bytes, at) + b;
				b += (int) LITTLE_ENDIAN_INTS.get(bytes, at + 4) + a;
			}
		}
		return new WalChecksum(a, b);
	}

}
