package io.github.s3lite.storage;

import java.io.IOException;
import java.io.InputStream;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * A {@link ReplicaStore} whose writes (uploads, deletes, conditional writes) start only while a
 * {@link WritePermit} is granted, checked right before each request; reads are never refused. A write
 * already in flight when the permit ends is ended by closing the store, which aborts requests in flight
 * (the engine halts replication that way when this instance is fenced).
 */
public final class PermittedReplicaStore implements ReplicaStore {

	private final ReplicaStore delegate;

	private final WritePermit permit;

	/**
	 * Wrap a store.
	 * @param delegate the store, closed by {@link #close()}
	 * @param permit decides whether writes may start
	 * @return the store, or {@code delegate} itself for {@link WritePermit#ALWAYS}
	 */
	public static ReplicaStore of(ReplicaStore delegate, WritePermit permit) {
		return (permit == WritePermit.ALWAYS) ? delegate : new PermittedReplicaStore(delegate, permit);
	}

	private PermittedReplicaStore(ReplicaStore delegate, WritePermit permit) {
		this.delegate = delegate;
		this.permit = permit;
	}

	private void checkPermit(String operation, String key) throws ReplicaFencedException {
		if (!this.permit.granted()) {
			throw new ReplicaFencedException(operation + " " + key + " on " + this.delegate.location()
					+ " refused: this instance no longer holds the single-writer lease (fenced)");
		}
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
	public byte[] getRange(String key, long offset, int length) throws IOException {
		return this.delegate.getRange(key, offset, length);
	}

	@Override
	public Optional<VersionedObject> getVersioned(String key) throws IOException {
		return this.delegate.getVersioned(key);
	}

	@Override
	public void put(String key, InputStream content, long length) throws IOException {
		checkPermit("PUT", key);
		this.delegate.put(key, content, length);
	}

	@Override
	public void write(String key, ObjectContent content) throws IOException {
		checkPermit("PUT", key);
		this.delegate.write(key, content);
	}

	@Override
	public void delete(Collection<String> keys) throws IOException {
		checkPermit("DELETE", keys.size() + " objects");
		this.delegate.delete(keys);
	}

	@Override
	public ConditionalResult createIfAbsent(String key, byte[] content) throws IOException {
		checkPermit("PUT", key);
		return this.delegate.createIfAbsent(key, content);
	}

	@Override
	public ConditionalResult replaceIfMatch(String key, byte[] content, String etag) throws IOException {
		checkPermit("PUT", key);
		return this.delegate.replaceIfMatch(key, content, etag);
	}

	@Override
	public ConditionalResult deleteIfMatch(String key, String etag) throws IOException {
		checkPermit("DELETE", key);
		return this.delegate.deleteIfMatch(key, etag);
	}

	@Override
	public void close() throws IOException {
		this.delegate.close();
	}

	@Override
	public String toString() {
		return "PermittedReplicaStore[" + this.delegate.location() + "]";
	}

}
