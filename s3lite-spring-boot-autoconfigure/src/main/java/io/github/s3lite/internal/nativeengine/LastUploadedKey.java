package io.github.s3lite.internal.nativeengine;

import java.io.IOException;
import java.io.InputStream;
import java.util.Optional;

import io.github.s3lite.internal.storage.ForwardingReplicaStore;
import io.github.s3lite.internal.storage.ObjectContent;
import io.github.s3lite.internal.storage.ReplicaStore;

/**
 * The writer's store, remembering the key of the last object it uploaded (a WAL segment or a snapshot:
 * every upload of the writer is the newest object of its generation). That key is where a restore of the
 * replica ends once the replica shows every upload, known without listing the replica, whose listing
 * may lag its writes.
 */
final class LastUploadedKey extends ForwardingReplicaStore {

	private volatile String key;

	LastUploadedKey(ReplicaStore delegate) {
		super(delegate);
	}

	/**
	 * Return the key of the last object uploaded through this store.
	 * @return the key, empty before the first upload
	 */
	Optional<String> key() {
		return Optional.ofNullable(this.key);
	}

	@Override
	public void put(String key, InputStream content, long length) throws IOException {
		super.put(key, content, length);
		this.key = key;
	}

	@Override
	public void write(String key, ObjectContent content) throws IOException {
		super.write(key, content);
		this.key = key;
	}

}
