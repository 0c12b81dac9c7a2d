package io.github.s3lite.internal.storage;

import java.io.IOException;
import java.io.InputStream;
import java.util.Collection;

/**
 * A {@link ReplicaStore} whose writes (uploads, deletes, conditional writes) start only while a
 * {@link WritePermit} is granted, checked right before each request; reads are never refused. A write
 * already in flight when the permit ends is ended by closing the store, which aborts requests in flight
 * (the engine halts replication that way when this instance is fenced).
 */
public final class PermittedReplicaStore extends ForwardingReplicaStore {

	private final WritePermit permit;

	private PermittedReplicaStore(ReplicaStore delegate, WritePermit permit) {
		super(delegate);
		this.permit = permit;
	}

	/**
	 * Wrap a store.
	 * @param delegate the store, closed by {@link #close()}
	 * @param permit decides whether writes may start
	 * @return the store, or {@code delegate} itself for {@link WritePermit#ALWAYS}
	 */
	public static ReplicaStore of(ReplicaStore delegate, WritePermit permit) {
		return (permit == WritePermit.ALWAYS) ? delegate : new PermittedReplicaStore(delegate, permit);
	}

	private void checkPermit(String operation, String key) throws ReplicaFencedException {
		if (!this.permit.granted()) {
			throw new ReplicaFencedException(operation + " " + key + " on " + location()
					+ " refused: this instance no longer holds the single-writer lease (fenced)");
		}
	}

	@Override
	public void put(String key, InputStream content, long length) throws IOException {
		checkPermit("PUT", key);
		super.put(key, content, length);
	}

	@Override
	public void write(String key, ObjectContent content) throws IOException {
		checkPermit("PUT", key);
		super.write(key, content);
	}

	@Override
	public void delete(Collection<String> keys) throws IOException {
		checkPermit("DELETE", keys.size() + " objects");
		super.delete(keys);
	}

	@Override
	public ConditionalResult createIfAbsent(String key, byte[] content) throws IOException {
		checkPermit("PUT", key);
		return super.createIfAbsent(key, content);
	}

	@Override
	public ConditionalResult replaceIfMatch(String key, byte[] content, String etag) throws IOException {
		checkPermit("PUT", key);
		return super.replaceIfMatch(key, content, etag);
	}

	@Override
	public ConditionalResult deleteIfMatch(String key, String etag) throws IOException {
		checkPermit("DELETE", key);
		return super.deleteIfMatch(key, etag);
	}

	@Override
	public String toString() {
		return "PermittedReplicaStore[" + location() + "]";
	}

}
