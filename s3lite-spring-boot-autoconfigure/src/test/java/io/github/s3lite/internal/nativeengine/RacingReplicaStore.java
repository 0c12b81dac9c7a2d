package io.github.s3lite.internal.nativeengine;

import java.io.IOException;
import java.util.concurrent.atomic.AtomicReference;

import io.github.s3lite.internal.storage.ForwardingReplicaStore;
import io.github.s3lite.internal.storage.ObjectContent;
import io.github.s3lite.internal.storage.ReplicaStore;

/**
 * A replica store that runs an action once, when the next WAL segment upload begins and before its
 * content is read: it puts a race between the shipper's scan of the WAL and its read of the bytes at a
 * known point (a real store is never slow on demand at that exact moment).
 */
final class RacingReplicaStore extends ForwardingReplicaStore {

	private final AtomicReference<Race> next = new AtomicReference<>();

	RacingReplicaStore(ReplicaStore delegate) {
		super(delegate);
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
		super.write(key, content);
	}

	/** What runs in the race. */
	@FunctionalInterface
	interface Race {

		void run() throws Exception;

	}

}
