package io.github.s3lite.nativeengine;

import java.io.IOException;
import java.io.InputStream;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import io.github.s3lite.storage.ConditionalResult;
import io.github.s3lite.storage.ObjectContent;
import io.github.s3lite.storage.ReplicaStore;
import io.github.s3lite.storage.StoredObject;
import io.github.s3lite.storage.VersionedObject;

/**
 * A replica store that runs an action once, when the next WAL segment upload begins and before its
 * content is read: it puts a race between the shipper's scan of the WAL and its read of the bytes at a
 * known point (a real store is never slow on demand at that exact moment).
 */
final class RacingReplicaStore implements ReplicaStore {

	private final ReplicaStore delegate;

	private final AtomicReference<Race> next = new AtomicReference<>();

	RacingReplicaStore(ReplicaStore delegate) {
		this.delegate = delegate;
	}

	/** Run an action when the next WAL segment upload begins. */
	void beforeNextSegment(Race race) {
		this.next.set(race);
	}

	@Override
	public void write(String key, ObjectContent content) throws IOException {
		Race race = key.contains("/wal/") ? this.next.getAndSet(null) : null;
		if (race != null) {
			try {
				race.run();
			}
			catch (Exception ex) {
				throw new IllegalStateException(ex);
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

	/** What runs in the race. */
	@FunctionalInterface
	interface Race {

		void run() throws Exception;

	}

}
