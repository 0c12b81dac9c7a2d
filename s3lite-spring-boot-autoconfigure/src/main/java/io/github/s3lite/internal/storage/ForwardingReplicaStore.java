package io.github.s3lite.internal.storage;

import java.io.IOException;
import java.io.InputStream;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * A {@link ReplicaStore} that passes every call to another one, for wrappers that change a few of them
 * (a permit before writes, faults in tests).
 */
public abstract class ForwardingReplicaStore implements ReplicaStore {

	private final ReplicaStore delegate;

	/**
	 * Wrap a store.
	 * @param delegate the store every call goes to, closed by {@link #close()}
	 */
	protected ForwardingReplicaStore(ReplicaStore delegate) {
		this.delegate = delegate;
	}

	/**
	 * Return the wrapped store.
	 * @return the store
	 */
	protected final ReplicaStore delegate() {
		return this.delegate;
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
	public List<StoredObject> list(String prefix, String startAfter) throws IOException {
		return this.delegate.list(prefix, startAfter);
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
		this.delegate.put(key, content, length);
	}

	@Override
	public void write(String key, ObjectContent content) throws IOException {
		this.delegate.write(key, content);
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
