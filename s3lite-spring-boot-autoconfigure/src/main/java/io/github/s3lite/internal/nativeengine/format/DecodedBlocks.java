package io.github.s3lite.internal.nativeengine.format;

import java.util.Deque;

import net.jpountz.xxhash.StreamingXXHash32;

import io.github.s3lite.internal.nativeengine.format.Lz4FrameFileDecoder.Block;
import io.github.s3lite.internal.nativeengine.format.Lz4FrameFileDecoder.UnsupportedFrameException;

/**
 * The blocks of one LZ4 frame, taken in order once decoded: their total length, the checksum of their
 * content, and their buffers given back for reuse. The parallel decoder places block {@code i} at
 * {@code i} times the block size, so only the frame's last block may be short.
 */
final class DecodedBlocks {

	private final FrameDescriptor frame;

	private final Deque<byte[]> freeBuffers;

	private final StreamingXXHash32 content;

	private long length;

	private boolean shortBlockSeen;

	DecodedBlocks(FrameDescriptor frame, Deque<byte[]> freeBuffers) {
		this.frame = frame;
		this.freeBuffers = freeBuffers;
		this.content = frame.contentChecksum() ? Lz4FrameFileDecoder.hashes.newStreamingHash32(0) : null;
	}

	/**
	 * Take the next block in frame order.
	 * @param block the block
	 * @throws UnsupportedFrameException if a short block came before this one
	 */
	void accept(Block block) throws UnsupportedFrameException {
		if (this.shortBlockSeen) {
			throw new UnsupportedFrameException("a block that is not full before the frame's last");
		}
		this.shortBlockSeen = block.length() < this.frame.maxBlockSize();
		this.length += block.length();
		if (this.content != null) {
			this.content.update(block.content(), 0, block.length());
		}
		if (block.content().length == this.frame.maxBlockSize()) {
			this.freeBuffers.push(block.content());
		}
	}

	long length() {
		return this.length;
	}

	int checksum() {
		return this.content.getValue();
	}

}
