package io.github.s3lite.internal.lease;

import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Records in the writer's mark where the replica ends ({@link WriterMark#seal}), as a writer stops
 * writing (shutdown, hand-over) with its replication stopped and the lease still held, so that its
 * successor continues the generation from exactly there. Bounded by {@code min(ttl/3, 5s)}: the storage
 * work runs on a thread of its own, interrupted past the bound (the engine then closes its store,
 * aborting the request). Without a seal (nothing to seal, a failure, the lease no longer held) the
 * successor starts a new generation. Never throws.
 */
final class WriterSeal {

	private static final Logger logger = LoggerFactory.getLogger(WriterSeal.class);

	private static final Duration TIMEOUT = Duration.ofSeconds(5);

	private WriterSeal() {
	}

	static void seal(WriterMark mark, RoleChange change, LeaseKeeper holder, ReplicaLease lease) {
		if (change == null || !holder.mayWriteReplica()) {
			return;
		}
		long bound = Math.min(lease.timing().renewInterval().toMillis(), TIMEOUT.toMillis());
		AtomicReference<String> sealedAt = new AtomicReference<>();
		AtomicReference<String> failure = new AtomicReference<>();
		Thread sealing = new Thread(() -> {
			try {
				Optional<String> end = change.replicaEnd();
				if (end.isEmpty()) {
					failure.set("the replica's end is unknown (its last flush failed, or it is empty)");
				}
				else if (holder.mayWriteReplica()) {
					mark.seal(change.database(), end.get());
					sealedAt.set(end.get());
				}
			}
			catch (IOException | RuntimeException ex) {
				failure.set(ex.toString());
			}
		}, "s3lite-lease-seal");
		sealing.setDaemon(true);
		sealing.start();
		try {
			sealing.join(bound);
			if (sealing.isAlive()) {
				sealing.interrupt();
				sealing.join(TIMEOUT.toMillis());
				failure.compareAndSet(null, "it did not finish within " + bound + " ms");
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		if (sealedAt.get() != null) {
			logger.info("Sealed {}: the replica ends at {}", lease.location(), sealedAt.get());
		}
		else {
			logger.warn("Could not record where {} ends ({}); the next writer starts a new generation",
					lease.location(), failure.get());
		}
	}

}
