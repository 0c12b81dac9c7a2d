package io.github.s3lite.internal.nativeengine;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;

import io.github.s3lite.internal.storage.ReplicaStore;

/**
 * Reads a large object as a stream while fetching it in parts of {@link #PART_SIZE} bytes with ranged
 * GETs on a pool, up to a fixed number of parts ahead of the reader, so that the download runs in
 * parallel and overlaps whatever the reader does with the bytes (decoding, writing). Memory stays bounded
 * by the parts in flight. Closing it cancels the parts not read yet.
 */
final class RangedObjectStream extends InputStream {

	/** Size of one ranged GET. */
	static final int PART_SIZE = 8 << 20;

	private final ReplicaStore store;

	private final String key;

	private final long size;

	private final ExecutorService pool;

	private final int ahead;

	private final Deque<Future<byte[]>> parts = new ArrayDeque<>();

	private long nextOffset;

	private InputStream current = InputStream.nullInputStream();

	/**
	 * Open an object for reading in parts.
	 * @param store the store
	 * @param key the object's key
	 * @param size the object's size
	 * @param pool where the parts download
	 * @param ahead how many parts may be in flight at once, at least 1
	 */
	RangedObjectStream(ReplicaStore store, String key, long size, ExecutorService pool, int ahead) {
		this.store = store;
		this.key = key;
		this.size = size;
		this.pool = pool;
		this.ahead = Math.max(1, ahead);
		fill();
	}

	private void fill() {
		while (this.parts.size() < this.ahead && this.nextOffset < this.size) {
			long offset = this.nextOffset;
			int length = (int) Math.min(PART_SIZE, this.size - offset);
			this.parts.add(this.pool.submit(() -> this.store.getRange(this.key, offset, length)));
			this.nextOffset += length;
		}
	}

	private boolean advance() throws IOException {
		Future<byte[]> next = this.parts.poll();
		if (next == null) {
			return false;
		}
		try {
			this.current = new ByteArrayInputStream(next.get());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new InterruptedIOException("Interrupted while downloading " + this.key);
		}
		catch (ExecutionException ex) {
			if (ex.getCause() instanceof IOException io) {
				throw io;
			}
			throw new IOException("Could not download " + this.key + ": " + ex.getCause(), ex.getCause());
		}
		fill();
		return true;
	}

	@Override
	public int read() throws IOException {
		byte[] one = new byte[1];
		return (read(one, 0, 1) < 0) ? -1 : (one[0] & 0xff);
	}

	@Override
	public int read(byte[] buffer, int offset, int length) throws IOException {
		if (length == 0) {
			return 0;
		}
		int read = this.current.read(buffer, offset, length);
		while (read < 0) {
			if (!advance()) {
				return -1;
			}
			read = this.current.read(buffer, offset, length);
		}
		return read;
	}

	@Override
	public void close() {
		this.parts.forEach((part) -> part.cancel(true));
		this.parts.clear();
	}

}
