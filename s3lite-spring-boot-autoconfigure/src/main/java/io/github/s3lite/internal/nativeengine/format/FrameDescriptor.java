package io.github.s3lite.internal.nativeengine.format;

import java.io.IOException;
import java.io.InputStream;

import net.jpountz.xxhash.XXHashFactory;

import io.github.s3lite.internal.nativeengine.format.Lz4FrameFileDecoder.UnsupportedFrameException;

/**
 * The descriptor of an LZ4 frame (after its magic number): the flags, the block size, the optional
 * content size, checked against its header checksum. Only what {@link Lz4FrameFileDecoder} handles is
 * accepted: version 01, independent blocks, no dictionary, reserved bits clear.
 *
 * @param maxBlockSize the frame's block size: no block decodes to more
 * @param blockChecksum whether each block is followed by its checksum
 * @param contentChecksum whether the frame ends with the checksum of its content
 * @param contentSize the content size the frame declares, or {@code -1}
 */
record FrameDescriptor(int maxBlockSize, boolean blockChecksum, boolean contentChecksum, long contentSize) {

	private static final int VERSION_MASK = 0xc0;

	private static final int VERSION_01 = 0x40;

	private static final int INDEPENDENT_BLOCKS = 0x20;

	private static final int BLOCK_CHECKSUM = 0x10;

	private static final int CONTENT_SIZE = 0x08;

	private static final int CONTENT_CHECKSUM = 0x04;

	private static final int RESERVED = 0x02;

	private static final int DICTIONARY_ID = 0x01;

	/**
	 * Read and check a frame descriptor.
	 * @param in the frame, positioned after its magic number
	 * @return the descriptor
	 * @throws UnsupportedFrameException if the frame needs the sequential decoder (or is not valid)
	 * @throws IOException on a read error
	 */
	static FrameDescriptor read(InputStream in) throws IOException {
		byte[] head = in.readNBytes(2);
		if (head.length != 2) {
			throw new UnsupportedFrameException("a frame descriptor that ends early");
		}
		int flags = head[0] & 0xff;
		int blockDescriptor = head[1] & 0xff;
		if ((flags & VERSION_MASK) != VERSION_01 || (flags & INDEPENDENT_BLOCKS) == 0 || (flags & RESERVED) != 0
				|| (flags & DICTIONARY_ID) != 0 || (blockDescriptor & 0x8f) != 0) {
			throw new UnsupportedFrameException(
					String.format("frame flags %02x and block descriptor %02x", flags, blockDescriptor));
		}
		int sizeCode = (blockDescriptor >> 4) & 0x07;
		if (sizeCode < 4) {
			throw new UnsupportedFrameException("block size code " + sizeCode);
		}
		byte[] size = ((flags & CONTENT_SIZE) != 0) ? in.readNBytes(8) : new byte[0];
		byte[] checksum = in.readNBytes(1);
		if (checksum.length != 1 || ((flags & CONTENT_SIZE) != 0 && size.length != 8)) {
			throw new UnsupportedFrameException("a frame descriptor that ends early");
		}
		byte[] descriptor = new byte[2 + size.length];
		descriptor[0] = head[0];
		descriptor[1] = head[1];
		System.arraycopy(size, 0, descriptor, 2, size.length);
		int expected = (XXHashFactory.fastestInstance().hash32().hash(descriptor, 0, descriptor.length, 0) >> 8) & 0xff;
		if ((checksum[0] & 0xff) != expected) {
			throw new UnsupportedFrameException("a frame descriptor whose checksum does not match");
		}
		long contentSize = (size.length == 8)
				? (Lz4FrameFileDecoder.intLE(size, 0) & 0xffffffffL) | ((long) Lz4FrameFileDecoder.intLE(size, 4) << 32)
				: -1;
		return new FrameDescriptor(1 << (8 + 2 * sizeCode), (flags & BLOCK_CHECKSUM) != 0,
				(flags & CONTENT_CHECKSUM) != 0, contentSize);
	}

}
