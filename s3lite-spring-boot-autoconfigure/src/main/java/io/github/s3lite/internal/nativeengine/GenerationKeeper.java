package io.github.s3lite.internal.nativeengine;

import java.io.IOException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.s3lite.internal.nativeengine.format.GenerationListing;
import io.github.s3lite.internal.nativeengine.format.ReplicaFormat;
import io.github.s3lite.internal.replication.WalPosition;
import io.github.s3lite.internal.storage.ReplicaStore;

/**
 * Decides which generation the replica writer ships to, and ships under one lock for every caller:
 * it continues the generation of the last clean stop or restore once the replica is seen to hold it
 * exactly up to the stopped index, and starts a new generation with a snapshot when there is
 * none, when continuity cannot be proven, or when the WAL restarted before its frames were shipped.
 */
final class GenerationKeeper {

	private static final Logger logger = LoggerFactory.getLogger(GenerationKeeper.class);

	private final ReplicaWriter writer;

	private final ReplicaStore store;

	private final ReplicaFormat format;

	private final ReplicationProgress progress;

	private StoppedPosition unverified;

	private boolean started;

	GenerationKeeper(ReplicaWriter writer, ReplicaStore store, ReplicaFormat format, ReplicationProgress progress,
			StoppedPosition stoppedAt) {
		this.writer = writer;
		this.store = store;
		this.format = format;
		this.progress = progress;
		this.unverified = stoppedAt;
	}

	/**
	 * Make sure a generation runs, then ship every committed frame.
	 * @return the position reached
	 * @throws IOException on a storage, file or SQLite error
	 */
	synchronized WalPosition shipNow() throws IOException {
		ensureGeneration();
		try {
			return this.writer.ship();
		}
		catch (WalContinuityException ex) {
			logger.warn("{}", ex.getMessage());
			return startGeneration();
		}
	}

	/**
	 * Run work on the writer under this keeper's lock, with a generation running.
	 * @param work the work
	 * @throws IOException on a storage, file or SQLite error
	 */
	synchronized void withGeneration(SqliteControl.Work work) throws IOException {
		ensureGeneration();
		try {
			work.run();
		}
		catch (WalContinuityException ex) {
			logger.warn("{}", ex.getMessage());
			startGeneration();
		}
	}

	private void ensureGeneration() throws IOException {
		if (this.started) {
			return;
		}
		StoppedPosition stopped = this.unverified;
		if (stopped != null && replicaHolds(stopped)) {
			this.writer.continueGeneration(stopped.generation(), stopped.index());
			this.unverified = null;
			this.started = true;
			return;
		}
		if (stopped != null) {
			logger.info("The replica {} does not hold generation {} exactly up to index {}; starting a new generation",
					this.store.location(), stopped.generation(), String.format("%08x", stopped.index()));
		}
		startGeneration();
	}

	/**
	 * Whether the replica holds the stopped generation exactly up to the stopped index: a snapshot to
	 * restore from, nothing newer than that index (a WAL index beyond it would be written twice), and the
	 * index itself (or, when it is below the snapshot's, the snapshot just after it).
	 */
	private boolean replicaHolds(StoppedPosition stopped) throws IOException {
		for (GenerationListing generation : this.format.list(this.store).generations()) {
			if (generation.generation().equals(stopped.generation())) {
				long newestSnapshot = -1;
				for (var snapshot : generation.snapshots()) {
					newestSnapshot = Math.max(newestSnapshot, snapshot.index());
				}
				long newestSegment = -1;
				for (var segment : generation.segments()) {
					newestSegment = Math.max(newestSegment, segment.index());
				}
				return newestSnapshot >= 0 && newestSegment <= stopped.index()
						&& newestSnapshot <= stopped.index() + 1
						&& Math.max(newestSegment, newestSnapshot) >= stopped.index();
			}
		}
		return false;
	}

	private WalPosition startGeneration() throws IOException {
		this.unverified = null;
		WalPosition position = this.writer.startGeneration();
		this.started = true;
		this.progress.generationStarted();
		return position;
	}

}
