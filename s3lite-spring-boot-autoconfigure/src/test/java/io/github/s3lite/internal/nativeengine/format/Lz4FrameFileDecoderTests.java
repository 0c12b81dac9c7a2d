package io.github.s3lite.internal.nativeengine.format;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import net.jpountz.lz4.LZ4Factory;
import net.jpountz.lz4.LZ4FrameOutputStream;
import net.jpountz.lz4.LZ4FrameOutputStream.BLOCKSIZE;
import net.jpountz.lz4.LZ4FrameOutputStream.FLG;
import net.jpountz.xxhash.XXHashFactory;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIOException;

/**
 * The litestream v0.3 format decodes a snapshot's LZ4 frame into a file with its blocks decompressed in
 * parallel, byte for byte what the sequential decoder gives, and falls back to that decoder for the frames
 * it does not handle; a corrupt frame always fails.
 */
class Lz4FrameFileDecoderTests {

	private final ExecutorService pool = Executors.newFixedThreadPool(4);

	private final LitestreamV03Format format = new LitestreamV03Format();

	@TempDir
	Path dir;

	@AfterEach
	void stopPool() {
		this.pool.shutdownNow();
	}

	@Test
	void aFrameOfManyBlocksDecodesToExactlyItsContent() throws IOException {
		byte[] content = content(5 * 256 * 1024 + 12_345);
		assertThat(decode(frame(content, BLOCKSIZE.SIZE_256KB, FLG.Bits.BLOCK_INDEPENDENCE, FLG.Bits.CONTENT_CHECKSUM)))
			.isEqualTo(content);
	}

	@Test
	void blockChecksumsAndTheContentSizeAreCheckedWhenTheFrameHasThem() throws IOException {
		byte[] content = content(3 * 64 * 1024);
		byte[] frame = frame(content, BLOCKSIZE.SIZE_64KB, FLG.Bits.BLOCK_INDEPENDENCE, FLG.Bits.BLOCK_CHECKSUM,
				FLG.Bits.CONTENT_CHECKSUM, FLG.Bits.CONTENT_SIZE);
		assertThat(decode(frame)).isEqualTo(content);
	}

	@Test
	void anEmptyFrameDecodesToAnEmptyFile() throws IOException {
		assertThat(decode(frame(new byte[0], BLOCKSIZE.SIZE_4MB, FLG.Bits.BLOCK_INDEPENDENCE,
				FLG.Bits.CONTENT_CHECKSUM))).isEmpty();
	}

	@Test
	void concatenatedFramesDecodeOneAfterTheOther() throws IOException {
		byte[] first = content(300_000);
		byte[] second = content(70_000);
		ByteArrayOutputStream both = new ByteArrayOutputStream();
		both.write(frame(first, BLOCKSIZE.SIZE_64KB, FLG.Bits.BLOCK_INDEPENDENCE, FLG.Bits.CONTENT_CHECKSUM));
		both.write(frame(second, BLOCKSIZE.SIZE_256KB, FLG.Bits.BLOCK_INDEPENDENCE));
		ByteArrayOutputStream expected = new ByteArrayOutputStream();
		expected.write(first);
		expected.write(second);
		assertThat(decode(both.toByteArray())).isEqualTo(expected.toByteArray());
	}

	@Test
	void aFrameWithDependentBlocksIsLeftToTheSequentialDecoder() {
		// lz4-java, like litestream's encoder, writes only independent blocks and refuses to read others
		byte[] frame = handMadeFrame(0x40, content(1000), content(2000));
		assertThatIOException().isThrownBy(() -> decode(frame)).withMessageContaining("unsupported frame descriptor");
	}

	@Test
	void aShortBlockBeforeTheLastIsDecodedSequentiallyInstead() throws IOException {
		// valid LZ4, but not what litestream writes: the parallel decoder places blocks at multiples of the
		// block size, so it must notice and start again sequentially
		byte[] first = content(1000);
		byte[] second = content(64 * 1024);
		byte[] third = content(500);
		byte[] frame = handMadeFrame(0x60, first, second, third);
		ByteArrayOutputStream expected = new ByteArrayOutputStream();
		expected.write(first);
		expected.write(second);
		expected.write(third);
		assertThat(decode(frame)).isEqualTo(expected.toByteArray());
	}

	@Test
	void aCorruptBlockFailsInsteadOfDecodingToWrongBytes() throws IOException {
		byte[] frame = frame(content(4 * 64 * 1024), BLOCKSIZE.SIZE_64KB, FLG.Bits.BLOCK_INDEPENDENCE,
				FLG.Bits.CONTENT_CHECKSUM);
		frame[frame.length / 2] ^= 0x5a;
		assertThatIOException().isThrownBy(() -> decode(frame));
	}

	@Test
	void aContentChecksumThatDoesNotMatchFails() throws IOException {
		byte[] frame = frame(content(100_000), BLOCKSIZE.SIZE_64KB, FLG.Bits.BLOCK_INDEPENDENCE,
				FLG.Bits.CONTENT_CHECKSUM);
		frame[frame.length - 1] ^= 0x01;
		assertThatIOException().isThrownBy(() -> decode(frame)).withMessageContaining("checksum");
	}

	@Test
	void aTruncatedFrameFails() throws IOException {
		byte[] frame = frame(content(300_000), BLOCKSIZE.SIZE_64KB, FLG.Bits.BLOCK_INDEPENDENCE,
				FLG.Bits.CONTENT_CHECKSUM);
		byte[] truncated = java.util.Arrays.copyOf(frame, frame.length - 1000);
		assertThatIOException().isThrownBy(() -> decode(truncated));
	}

	private byte[] decode(byte[] frame) throws IOException {
		Path file = Files.createTempFile(this.dir, "decoded", ".db");
		try (FileChannel channel = FileChannel.open(file, StandardOpenOption.WRITE)) {
			long length = this.format.decodeInto(() -> new ByteArrayInputStream(frame), channel, this.pool, 3);
			assertThat(length).isEqualTo(Files.size(file));
		}
		return Files.readAllBytes(file);
	}

	/** Half random, half repeated text: some blocks compress, some are stored as they are. */
	private static byte[] content(int length) {
		byte[] content = new byte[length];
		Random random = new Random(length);
		for (int i = 0; i < length; i++) {
			content[i] = ((i / 70_000) % 2 == 0) ? (byte) random.nextInt() : (byte) ('a' + i % 7);
		}
		return content;
	}

	private static byte[] frame(byte[] content, BLOCKSIZE size, FLG.Bits... bits) throws IOException {
		ByteArrayOutputStream frame = new ByteArrayOutputStream();
		try (OutputStream out = new LZ4FrameOutputStream(frame, size, content.length, bits)) {
			out.write(content);
		}
		return frame.toByteArray();
	}

	/** A frame of 64 KB blocks, one per part, without checksums, with the given flags. */
	private static byte[] handMadeFrame(int flags, byte[]... blocks) {
		ByteArrayOutputStream frame = new ByteArrayOutputStream();
		writeIntLE(frame, 0x184D2204);
		byte[] descriptor = { (byte) flags, 0x40 };
		frame.writeBytes(descriptor);
		frame.write((XXHashFactory.fastestInstance().hash32().hash(descriptor, 0, 2, 0) >> 8) & 0xff);
		for (byte[] block : blocks) {
			byte[] compressed = LZ4Factory.fastestInstance().fastCompressor().compress(block);
			if (compressed.length < block.length) {
				writeIntLE(frame, compressed.length);
				frame.writeBytes(compressed);
			}
			else {
				writeIntLE(frame, block.length | 0x80000000);
				frame.writeBytes(block);
			}
		}
		writeIntLE(frame, 0);
		return frame.toByteArray();
	}

	private static void writeIntLE(ByteArrayOutputStream out, int value) {
		out.write(value);
		out.write(value >>> 8);
		out.write(value >>> 16);
		out.write(value >>> 24);
	}

}
