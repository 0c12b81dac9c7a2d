package io.github.s3lite.nativeengine;

import java.io.IOException;
import java.io.InputStream;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;

import io.github.s3lite.storage.ConditionalResult;
import io.github.s3lite.storage.ObjectContent;
import io.github.s3lite.storage.ReplicaStore;
import io.github.s3lite.storage.StoredObject;
import io.github.s3lite.storage.VersionedObject;

/**
 * A replica store whose uploads hang once {@link #hang()} was called, until {@link #release()}: a
 * blackholed endpoint without the network.
 */
final class HangingReplicaStore implements ReplicaStore {

	private final ReplicaStore delegate;

	private volatile CountDownLatch gate = new CountDownLatch(0);

	private final CountDownLatch hanging = new CountDownLatch(1);

	HangingReplicaStore(ReplicaStore delegate) {
		this.delegate = delegate;
	}

	void hang() {
		this.gate = new CountDownLatch(1);
	}

	void release() {
		this.gate.countDown();
	}

	/** Wait until an upload hangs. */
	void awaitHangingUpload() throws InterruptedException {
		this.hanging.await();
	}

	@Override
	public void write(String key, ObjectContent content) throws IOException {
		CountDownLatch current = this.gate;
		if (current.getCount() > 0) {
			this.hanging.countDown();
			try {
				current.await();
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				throw new IOException("Interrupted", ex);
			}
		}
		this.delegate.write(key, content);
	}

	@Override
	public String location() {
		return this.delegate.location();
	}

	@Override
	public List<StoredObject> list(String prefix) throws IOException {
		return this.delegate.list(prefix);
	}

	@Override
	public InputStream get(String key) throws IOException {
		return this.delegate.get(key);
	}

	@Override
	public Optional<VersionedObject> getVersioned(String key) throws IOException {
		return this.delegate.getVersioned(key);
	}

	@Override
	public void put(String key, InputStream content, long length) throws IOException {
		this.delegate.put(key, content, length);
	}

	@Override
	public void delete(Collection<String> keys) throws IOException {
		this.delegate.delete(keys);
	}

	@Override
	public ConditionalResult createIfAbsent(String key, byte[] content) throws IOException {
		return this.delegate.createIfAbsent(key, content);
	}

	@Override
	public ConditionalResult replaceIfMatch(String key, byte[] content, String etag) throws IOException {
		return this.delegate.replaceIfMatch(key, content, etag);
	}

	@Override
	public ConditionalResult deleteIfMatch(String key, String etag) throws IOException {
		return this.delegate.deleteIfMatch(key, etag);
	}

	@Override
	public void close() throws IOException {
		this.delegate.close();
	}

}
