package io.github.s3lite.internal.nativeengine.wal;

import java.nio.ByteBuffer;

/**
 * The 24-byte header of a WAL frame, which is followed by one page image.
 *
 * @param pageNumber the database page this frame holds
 * @param commitSize for a commit frame, the database size in pages after the commit; 0 otherwise
 * @param salt1 the first salt, equal to the WAL header's for a frame of this WAL life
 * @param salt2 the second salt
 * @param checksum the cumulative checksum up to and including this frame
 */
public record WalFrame(int pageNumber, int commitSize, int salt1, int salt2, WalChecksum checksum) {

	/** Size of a frame header in bytes. */
	public static final int HEADER_SIZE = 24;

	/**
	 * Read a frame header (big-endian fields).
	 * @param frame a buffer whose first 24 bytes are the frame header
	 * @return the frame header
	 */
	static WalFrame read(ByteBuffer frame) {
		return new WalFrame(frame.getInt(0), frame.getInt(4), frame.getInt(8), frame.getInt(12),
				new WalChecksum(frame.getInt(16), frame.getInt(20)));
	}

	/**
	 * Return whether this frame ends a transaction.
	 * @return {@code true} for a commit frame
	 */
	public boolean isCommit() {
		return this.commitSize != 0;
	}

}
