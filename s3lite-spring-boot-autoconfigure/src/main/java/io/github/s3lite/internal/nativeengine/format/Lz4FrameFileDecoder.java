package io.github.s3lite.internal.nativeengine.format;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

import net.jpountz.lz4.LZ4Exception;
import net.jpountz.lz4.LZ4Factory;
import net.jpountz.lz4.LZ4SafeDecompressor;
import net.jpountz.xxhash.XXHash32;
import net.jpountz.xxhash.XXHashFactory;

/**
 * Decodes LZ4 frames (the LZ4 frame format, as litestream and s3lite write them) straight into a file,
 * decompressing blocks in parallel: the frame is parsed here, each block is decompressed by lz4-java's
 * block decompressor on a pool and written at its place in the file, and the content checksum is
 * computed in order. It handles what litestream v0.3 and s3lite write (independent blocks, optional
 * block and content checksums, optional content size); anything else (dependent blocks, a dictionary,
 * skippable frames, a block that is not full before the last) raises {@link UnsupportedFrameException}
 * before or while writing, and the caller decodes the whole object again sequentially, which reports
 * whatever is really wrong.
 */
final class Lz4FrameFileDecoder {

	private static final int MAGIC = 0x184D2204;

	private static final LZ4SafeDecompressor decompressor = LZ4Factory.fastestInstance().safeDecompressor();

	static final XXHashFactory hashes = XXHashFactory.fastestInstance();

	private final InputStream in;

	private final FileChannel out;

	private final ExecutorService pool;

	private final int inFlight;

	private final Deque<byte[]> freeBuffers = new ArrayDeque<>();

	private Lz4FrameFileDecoder(InputStream in, FileChannel out, ExecutorService pool, int inFlight) {
		this.in = in;
		this.out = out;
		this.pool = pool;
		this.inFlight = Math.max(1, inFlight);
	}

	/**
	 * Decode every frame of {@code in} into {@code out}, from position 0.
	 * @param in the encoded bytes
	 * @param out the file to write
	 * @param pool where blocks are decompressed and written
	 * @param inFlight how many blocks may be decompressed at once
	 * @return the decoded length
	 * @throws UnsupportedFrameException if the frames need the sequential decoder
	 * @throws IOException on a read or write error, or a checksum that does not match
	 */
	static long decode(InputStream in, FileChannel out, ExecutorService pool, int inFlight) throws IOException {
		return new Lz4FrameFileDecoder(in, out, pool, inFlight).decodeFrames();
	}

	private long decodeFrames() throws IOException {
		long written = 0;
		boolean first = true;
		while (true) {
			byte[] magic = readUpTo(4);
			if (magic.length == 0 && !first) {
				return written;
			}
			if (magic.length != 4 || intLE(magic, 0) != MAGIC) {
				throw new UnsupportedFrameException("not an LZ4 frame with independent blocks");
			}
			written += decodeFrame(written);
			first = false;
		}
	}

	private long decodeFrame(long start) throws IOException {
		FrameDescriptor frame = FrameDescriptor.read(this.in);
		DecodedBlocks decoded = new DecodedBlocks(frame, this.freeBuffers);
		Deque<Future<Block>> pending = new ArrayDeque<>();
		try {
			long index = 0;
			for (int size = readInt(); size != 0; size = readInt()) {
				boolean stored = (size & 0x80000000) != 0;
				int compressed = size & 0x7fffffff;
				if (compressed > frame.maxBlockSize()) {
					throw new UnsupportedFrameException("a block larger than the frame's block size");
				}
				byte[] data = readFully(compressed);
				Integer checksum = frame.blockChecksum() ? readInt() : null;
				byte[] target = stored ? null : buffer(frame.maxBlockSize());
				long position = start + index * frame.maxBlockSize();
				pending.add(this.pool.submit(() -> decodeBlock(data, stored, checksum, target, position)));
				index++;
				while (pending.size() > this.inFlight) {
					decoded.accept(await(pending.poll()));
				}
			}
			while (!pending.isEmpty()) {
				decoded.accept(await(pending.poll()));
			}
		}
		finally {
			finish(pending);
		}
		if (frame.contentChecksum() && readInt() != decoded.checksum()) {
			throw new IOException("The LZ4 frame's content checksum does not match its content");
		}
		if (frame.contentSize() >= 0 && frame.contentSize() != decoded.length()) {
			throw new IOException("The LZ4 frame holds " + decoded.length() + " bytes but says " + frame.contentSize());
		}
		return decoded.length();
	}

	/**
	 * Let every submitted block end before returning: a block still running after the caller gave up on
	 * this decoder would write into a file the caller truncates and writes again, and interrupting it
	 * would close the file channel. None is cancelled: cancelling a running task only discards its result
	 * while it goes on writing. At most {@code inFlight} blocks are pending.
	 */
	private static void finish(Deque<Future<Block>> pending) {
		boolean interrupted = false;
		for (Future<Block> future : pending) {
			while (!future.isDone()) {
				try {
					future.get();
				}
				catch (InterruptedException ex) {
					interrupted = true;
				}
				catch (ExecutionException ex) {
					// it failed; the decoder is failing anyway
				}
			}
		}
		if (interrupted) {
			Thread.currentThread().interrupt();
		}
	}

	private Block decodeBlock(byte[] data, boolean stored, Integer checksum, byte[] target, long position)
			throws IOException {
		XXHash32 hash = hashes.hash32();
		if (checksum != null && hash.hash(data, 0, data.length, 0) != checksum) {
			throw new IOException("An LZ4 block's checksum does not match its content");
		}
		byte[] content = stored ? data : target;
		int length;
		try {
			length = stored ? data.length : decompressor.decompress(data, 0, data.length, target, 0, target.length);
		}
		catch (LZ4Exception ex) {
			throw new IOException("An LZ4 block is corrupt: " + ex.getMessage(), ex);
		}
		ByteBuffer buffer = ByteBuffer.wrap(content, 0, length);
		while (buffer.hasRemaining()) {
			this.out.write(buffer, position + buffer.position());
		}
		return new Block(content, length);
	}

	private byte[] buffer(int size) {
		byte[] free = this.freeBuffers.poll();
		return (free != null) ? free : new byte[size];
	}

	private static Block await(Future<Block> future) throws IOException {
		try {
			return future.get();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new InterruptedIOException("Interrupted while decoding an LZ4 frame");
		}
		catch (ExecutionException ex) {
			if (ex.getCause() instanceof IOException io) {
				throw io;
			}
			throw new IOException("Could not decode an LZ4 block: " + ex.getCause(), ex.getCause());
		}
	}

	private int readInt() throws IOException {
		return intLE(readFully(4), 0);
	}

	private byte[] readFully(int length) throws IOException {
		byte[] bytes = readUpTo(length);
		if (bytes.length != length) {
			throw new EOFException("The LZ4 frame ends early");
		}
		return bytes;
	}

	private byte[] readUpTo(int length) throws IOException {
		byte[] bytes = new byte[length];
		int read = this.in.readNBytes(bytes, 0, length);
		return (read == length) ? bytes : Arrays.copyOf(bytes, read);
	}

	static int intLE(byte[] bytes, int offset) {
		return (bytes[offset] & 0xff) | (bytes[offset + 1] & 0xff) << 8 | (bytes[offset + 2] & 0xff) << 16
				| (bytes[offset + 3] & 0xff) << 24;
	}

	/**
	 * A decoded block.
	 *
	 * @param content the array holding it (a pooled buffer, or the stored block's own bytes)
	 * @param length how many bytes of {@code content} it is
	 */
	record Block(byte[] content, int length) {

	}

	/**
	 * The frames this decoder does not handle; the caller decodes sequentially instead.
	 */
	static final class UnsupportedFrameException extends IOException {

		private static final long serialVersionUID = 1L;

		UnsupportedFrameException(String message) {
			super("LZ4 frame not decoded in parallel: " + message);
		}

	}

}
