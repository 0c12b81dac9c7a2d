package io.github.s3lite.internal.nativeengine;

import java.io.IOException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.s3lite.internal.nativeengine.format.GenerationListing;
import io.github.s3lite.internal.nativeengine.format.ReplicaFormat;
import io.github.s3lite.internal.nativeengine.format.ReplicaListing;
import io.github.s3lite.internal.replication.WalPosition;
import io.github.s3lite.internal.storage.ReplicaStore;

/**
 * Applies the retention to the replica, as litestream v0.3's {@code EnforceRetention} does: when the
 * current generation has no snapshot within the retention it writes one first, then deletes what
 * {@link ReplicaFormat#expiredKeys} names. Runs on the replication thread under the generation lock.
 */
final class RetentionEnforcer {

	private static final Logger logger = LoggerFactory.getLogger(RetentionEnforcer.class);

	/** litestream v0.3's {@code DefaultRetentionCheckInterval}. */
	private static final Duration MAX_CHECK_INTERVAL = Duration.ofHours(1);

	private final ReplicaWriter writer;

	private final ReplicaStore store;

	private final ReplicaFormat format;

	private final Duration retention;

	private final Clock clock;

	RetentionEnforcer(ReplicaWriter writer, ReplicaStore store, ReplicaFormat format, Duration retention, Clock clock) {
		this.writer = writer;
		this.store = store;
		this.format = format;
		this.retention = retention;
		this.clock = clock;
	}

	/**
	 * Return how often retention runs: the retention, at most an hour; zero when retention is off.
	 * @return the interval
	 */
	Duration checkInterval() {
		return (this.retention.isZero() || this.retention.isNegative()) ? Duration.ZERO
				: (this.retention.compareTo(MAX_CHECK_INTERVAL) < 0 ? this.retention : MAX_CHECK_INTERVAL);
	}

	/**
	 * Delete what the retention no longer needs.
	 * @return the number of objects deleted
	 * @throws IOException on a storage, file or SQLite error
	 */
	int enforce() throws IOException {
		WalPosition position = this.writer.position();
		if (position == null || checkInterval().isZero()) {
			return 0;
		}
		Instant cutoff = this.clock.instant().minus(this.retention);
		ReplicaListing listing = this.format.list(this.store);
		if (!hasSnapshotSince(listing, position.generation(), cutoff)) {
			this.writer.snapshot();
			listing = this.format.list(this.store);
		}
		List<String> expired = this.format.expiredKeys(listing, position.generation(), cutoff);
		if (expired.isEmpty()) {
			return 0;
		}
		this.store.delete(expired);
		logger.info("Retention deleted {} objects older than {} from {} (generation {} kept)", expired.size(),
				this.retention, this.store.location(), position.generation());
		return expired.size();
	}

	private static boolean hasSnapshotSince(ReplicaListing listing, String generation, Instant cutoff) {
		for (GenerationListing candidate : listing.generations()) {
			if (candidate.generation().equals(generation)) {
				return candidate.snapshots().stream().anyMatch((snapshot) -> !snapshot.createdAt().isBefore(cutoff));
			}
		}
		return false;
	}

}
