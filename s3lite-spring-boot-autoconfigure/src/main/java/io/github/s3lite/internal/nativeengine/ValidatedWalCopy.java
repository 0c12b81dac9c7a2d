package io.github.s3lite.internal.nativeengine;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.util.Arrays;

import io.github.s3lite.internal.nativeengine.wal.WalChecksum;
import io.github.s3lite.internal.nativeengine.wal.WalFrame;
import io.github.s3lite.internal.nativeengine.wal.WalHeader;
import io.github.s3lite.internal.nativeengine.wal.WalReader;

/**
 * Copies a {@link WalSegment} from the WAL file, validating what it copies in the same read: the header
 * of the segment's WAL life (for an index's first segment), then every frame's salts and the checksum
 * chain from the segment's seed, ending on a commit frame with the checksum the scan found. Bytes are
 * written only once validated, so that a WAL restarted (and refilled) between the scan and the upload
 * fails the copy instead of putting another life's bytes under the scanned index; the store then keeps
 * nothing of the upload.
 */
final class ValidatedWalCopy {

	private ValidatedWalCopy() {
	}

	/**
	 * Copy a segment.
	 * @param channel the WAL file
	 * @param segment the range and the chain it must follow
	 * @param out where the validated bytes go
	 * @throws WalContinuityException if the WAL no longer holds the segment's bytes
	 * @throws IOException on a read or write error
	 */
	static void copy(FileChannel channel, WalSegment segment, OutputStream out) throws IOException {
		WalHeader life = segment.life();
		long at = segment.from();
		if (at == 0) {
			ByteBuffer header = ByteBuffer.allocate(WalHeader.SIZE);
			readFully(channel, header, 0, segment);
			if (!Arrays.equals(header.array(), life.bytes())) {
				throw changed(segment, "its header");
			}
			out.write(header.array());
			at = WalHeader.SIZE;
		}
		int frameSize = life.frameSize();
		ByteOrder order = life.checksumOrder();
		int framesPerChunk = (int) Math.max(1, Math.min(WalReader.CHUNK_BYTES / frameSize,
				(segment.to() - at) / frameSize));
		ByteBuffer chunk = ByteBuffer.allocate(framesPerChunk * frameSize).order(ByteOrder.BIG_ENDIAN);
		byte[] bytes = chunk.array();
		WalChecksum running = segment.seed();
		boolean endsOnCommit = false;
		while (at < segment.to()) {
			int frames = (int) Math.min(framesPerChunk, (segment.to() - at) / frameSize);
			chunk.clear().limit(frames * frameSize);
			readFully(channel, chunk, at, segment);
			for (int i = 0; i < frames; i++) {
				int frame = i * frameSize;
				if (chunk.getInt(frame + 8) != life.salt1() || chunk.getInt(frame + 12) != life.salt2()) {
					throw changed(segment, "the salts of the frame at " + (at + frame));
				}
				running = running.update(bytes, frame, 8, order)
					.update(bytes, frame + WalFrame.HEADER_SIZE, frameSize - WalFrame.HEADER_SIZE, order);
				if (running.s1() != chunk.getInt(frame + 16) || running.s2() != chunk.getInt(frame + 20)) {
					throw changed(segment, "the checksum of the frame at " + (at + frame));
				}
				endsOnCommit = chunk.getInt(frame + 4) != 0;
			}
			out.write(bytes, 0, frames * frameSize);
			at += (long) frames * frameSize;
		}
		if (segment.from() > 0 || segment.to() > WalHeader.SIZE) {
			if (!endsOnCommit || !running.equals(segment.checksum())) {
				throw changed(segment, "its last commit");
			}
		}
	}

	private static void readFully(FileChannel channel, ByteBuffer buffer, long position, WalSegment segment)
			throws IOException {
		while (buffer.hasRemaining()) {
			if (channel.read(buffer, position + buffer.position()) < 0) {
				throw changed(segment, "its length (the WAL shrank)");
			}
		}
	}

	private static WalContinuityException changed(WalSegment segment, String what) {
		return new WalContinuityException("The WAL changed between its scan and its upload (" + what + " of "
				+ segment.generation() + "/" + segment.index() + " bytes " + segment.from() + ".." + segment.to()
				+ " no longer match); nothing of it was uploaded. An application checkpoint may have restarted the "
				+ "WAL; start a new generation");
	}

}
