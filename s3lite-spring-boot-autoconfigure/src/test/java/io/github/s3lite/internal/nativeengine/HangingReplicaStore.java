package io.github.s3lite.internal.nativeengine;

import java.io.IOException;
import java.util.concurrent.CountDownLatch;

import io.github.s3lite.internal.storage.ForwardingReplicaStore;
import io.github.s3lite.internal.storage.ObjectContent;
import io.github.s3lite.internal.storage.ReplicaStore;

/**
 * A replica store whose uploads hang once {@link #hang()} was called, until {@link #release()}: a
 * blackholed endpoint without the network.
 */
final class HangingReplicaStore extends ForwardingReplicaStore {

	private volatile CountDownLatch gate = new CountDownLatch(0);

	private final CountDownLatch hanging = new CountDownLatch(1);

	HangingReplicaStore(ReplicaStore delegate) {
		super(delegate);
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
		super.write(key, content);
	}

}
