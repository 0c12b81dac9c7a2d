package io.github.s3lite.internal.nativeengine.format;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutorService;

import io.github.s3lite.internal.replication.WalPosition;
import io.github.s3lite.internal.storage.ReplicaStore;

/**
 * A replica format: where snapshots and WAL segments live in a {@link ReplicaStore}, how they are
 * encoded, how a replica is listed and how a restore is planned. WAL capture, checkpoints, uploads
 * and status do not depend on which format is used.
 */
public interface ReplicaFormat {

	/**
	 * Return the name of the format, for logs.
	 * @return e.g. {@code litestream-v0.3}
	 */
	String name();

	/**
	 * Return a new random generation name.
	 * @return the name
	 */
	String newGeneration();

	/**
	 * Return the key of a snapshot.
	 * @param generation the generation
	 * @param index the WAL index current when the snapshot was taken
	 * @return the key, relative to the store's root
	 */
	String snapshotKey(String generation, long index);

	/**
	 * Return the key of a WAL segment.
	 * @param generation the generation
	 * @param index the WAL index
	 * @param offset the byte offset of the segment in that index's WAL
	 * @return the key, relative to the store's root
	 */
	String walSegmentKey(String generation, long index, long offset);

	/**
	 * Return whether a restore that ended at one object ({@link RestorePlan#endKey()}) applied everything up
	 * to and including another: both are of the same generation and the first is not before the second.
	 * @param end the key a restore ended at
	 * @param other the key it must have reached
	 * @return whether {@code end} is at or after {@code other} in one generation
	 */
	boolean reaches(String end, String other);

	/**
	 * Wrap a stream so that what is written to it is stored encoded. Closing the returned stream
	 * finishes the encoding but does not close {@code out}.
	 * @param out where the encoded bytes go
	 * @return the stream to write raw bytes to
	 * @throws IOException on a write error
	 */
	OutputStream encode(OutputStream out) throws IOException;

	/**
	 * Wrap a stored object's stream so that it reads the raw bytes. Closing it closes {@code in}.
	 * @param in the encoded bytes
	 * @return the raw bytes
	 * @throws IOException on a read error or invalid encoding
	 */
	InputStream decode(InputStream in) throws IOException;

	/**
	 * Decode a stored object straight into a file, from its start, using the pool where the encoding
	 * allows (a snapshot is most of a restore's work). The default decodes sequentially with
	 * {@link #decode(InputStream)}. Nothing is synced.
	 * @param encoded opens the stored object; may be called again to redo the decoding sequentially
	 * @param target the file to write from position 0; it must be empty
	 * @param pool threads the decoding may use
	 * @param parallelism how many pieces may be decoded at once
	 * @return the decoded length
	 * @throws IOException on a read or write error or an invalid encoding
	 */
	default long decodeInto(EncodedObject encoded, FileChannel target, ExecutorService pool, int parallelism)
			throws IOException {
		try (InputStream in = decode(encoded.open())) {
			byte[] buffer = new byte[1 << 20];
			long length = 0;
			for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
				ByteBuffer bytes = ByteBuffer.wrap(buffer, 0, read);
				while (bytes.hasRemaining()) {
					length += target.write(bytes, length);
				}
			}
			return length;
		}
	}

	/**
	 * List the generations, snapshots and WAL segments of a replica.
	 * @param store the replica
	 * @return the listing
	 * @throws IOException on a storage error
	 */
	ReplicaListing list(ReplicaStore store) throws IOException;

	/**
	 * List what a replica holds from a position on, as a cheap "did it move?" probe: one request while
	 * fewer than 1,000 objects are new. It holds the WAL segments of the position's generation from the
	 * position on, and the objects of the generations whose names sort after it; not the generations whose
	 * names sort before it, nor the position's generation's snapshots and marks.
	 * @param store the replica
	 * @param from where a database restored from this replica stands
	 * @return the listing
	 * @throws IOException on a storage error
	 */
	ReplicaListing listFrom(ReplicaStore store, WalPosition from) throws IOException;

	/**
	 * Choose the WAL to apply to a database at {@code from} to reach the newest state of its generation in
	 * a listing (a full one, or one from {@link #listFrom}).
	 * @param listing the listing
	 * @param from where the database stands
	 * @return the WAL indexes, the first one's segments starting at {@code from}'s offset when it is
	 * {@code from}'s index, else at 0; an empty list when nothing is new; empty when the listing cannot
	 * continue from there (a segment is missing: retention deleted it, or the generation is gone)
	 */
	Optional<List<WalIndexPlan>> walAfter(ReplicaListing listing, WalPosition from);

	/**
	 * Choose what to restore: the generation, the snapshot and the WAL indexes after it.
	 * @param listing the replica's listing
	 * @return the plan, or empty when the replica holds nothing to restore
	 * @throws InvalidReplicaException when the chosen generation cannot be restored
	 */
	Optional<RestorePlan> planRestore(ReplicaListing listing) throws InvalidReplicaException;

	/**
	 * Choose what retention deletes: generations other than the current one that are older than the
	 * cutoff, and the objects of the others that a restore to any moment after the cutoff no longer
	 * needs. The current generation's newest snapshot and everything after it are always kept.
	 * @param listing the replica's listing
	 * @param currentGeneration the generation being written, never deleted
	 * @param cutoff the oldest moment that must stay restorable
	 * @return the keys to delete
	 */
	List<String> expiredKeys(ReplicaListing listing, String currentGeneration, Instant cutoff);

	/**
	 * A stored object that can be opened, and opened again.
	 */
	@FunctionalInterface
	interface EncodedObject {

		/**
		 * Open the object from its start.
		 * @return its encoded bytes; the caller closes it
		 * @throws IOException on a storage error
		 */
		InputStream open() throws IOException;

	}

}
