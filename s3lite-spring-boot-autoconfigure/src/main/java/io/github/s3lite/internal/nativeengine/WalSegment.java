package io.github.s3lite.internal.nativeengine;

import io.github.s3lite.internal.nativeengine.wal.WalChecksum;
import io.github.s3lite.internal.nativeengine.wal.WalHeader;

/**
 * Committed WAL bytes not in the replica yet: the byte range {@code [from, to)} of one WAL index, to be
 * stored as the segment at {@code from}.
 *
 * @param life the header of the WAL life the bytes belong to
 * @param seed the cumulative checksum at {@code from} (the header's at offset 0)
 * @param generation the generation
 * @param index the WAL index
 * @param from the offset of the first byte (0 for an index's first segment, which starts with the header)
 * @param to the offset after the last commit frame
 * @param checksum the cumulative checksum at {@code to}
 */
record WalSegment(WalHeader life, WalChecksum seed, String generation, long index, long from, long to, WalChecksum checksum) {

	boolean isEmpty() {
		return this.to <= this.from;
	}

	long length() {
		return this.to - this.from;
	}

}
