package io.github.s3lite.nativeengine;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.OutputStream;

import io.github.s3lite.nativeengine.format.ReplicaFormat;
import io.github.s3lite.storage.ReplicaStore;

/**
 * WAL bytes copied under the write lock just before a checkpoint, held in memory until they are
 * uploaded after the lock is released, so that application writers never wait for the network. The
 * checkpoint may let the next write restart the WAL over them; from then on this copy is the only one
 * outside the database file, so it is uploaded before anything of the next index.
 *
 * @param generation the generation
 * @param index the WAL index
 * @param offset the segment's byte offset in that index
 * @param bytes the raw WAL bytes
 */
record HeldSegment(String generation, long index, long offset, byte[] bytes) {

	/**
	 * Upload the segment.
	 * @param store the replica
	 * @param format the replica format
	 * @throws IOException on a storage error
	 */
	void upload(ReplicaStore store, ReplicaFormat format) throws IOException {
		store.write(format.walSegmentKey(this.generation, this.index, this.offset), (out) -> {
			try (OutputStream encoded = format.encode(out)) {
				new ByteArrayInputStream(this.bytes).transferTo(encoded);
			}
		});
	}

}
