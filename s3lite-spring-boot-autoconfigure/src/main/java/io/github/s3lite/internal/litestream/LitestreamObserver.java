package io.github.s3lite.internal.litestream;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;

import io.github.s3lite.internal.replication.WalPosition;

/**
 * Observes litestream into one consistent {@link LitestreamObservation}: the database's WAL file, then
 * the shadow WAL, then the metrics (in that order, so that "captured" and "uploaded" are proven for what
 * the WAL held first). Counters are kept monotonic across litestream restarts.
 */
final class LitestreamObserver {

	private final Path database;

	private final LocalWalPositions positions;

	private final LitestreamSupervisor supervisor;

	private final LitestreamLauncher launcher;

	private final LitestreamEvents events;

	private final MonotonicCounter syncs = new MonotonicCounter();

	private final MonotonicCounter syncErrors = new MonotonicCounter();

	private volatile LitestreamObservation latest = new LitestreamObservation(-1, null, 0, null, null, null, null, 0,
			false);

	private volatile Instant lastSyncTime;

	LitestreamObserver(Path database, LitestreamSupervisor supervisor, LitestreamLauncher launcher,
			LitestreamEvents events) {
		this.database = database;
		this.positions = new LocalWalPositions(database);
		this.supervisor = supervisor;
		this.launcher = launcher;
		this.events = events;
	}

	/**
	 * Look at litestream now.
	 * @return the observation, also kept as {@link #latest()}
	 */
	synchronized LitestreamObservation observe() {
		LocalWalPositions.WalFile wal = this.positions.walFile();
		LocalWalPositions.Snapshot snapshot = this.positions.snapshot();
		SupervisedProcess process = this.supervisor.current();
		boolean running = this.supervisor.isRunning();
		long pid = running ? process.pid() : -1;
		LitestreamMetrics metrics = running ? scrape() : null;
		long errors = this.events.errorCount() + ((metrics != null)
				? this.syncErrors.update(pid, metrics.syncErrorCount()) : this.syncErrors.total());
		if (metrics != null) {
			this.syncs.update(pid, metrics.syncCount());
		}
		WalPosition local = (snapshot != null) ? snapshot.position() : null;
		WalPosition replica = replicaPosition(metrics, local);
		LitestreamObservation observation = new LitestreamObservation(pid,
				(metrics != null) ? metrics.syncCount() : null, errors, this.events.lastError(),
				this.events.lastErrorTime(), local, replica, (snapshot != null) ? snapshot.lagBytes(replica) : 0,
				snapshot != null && snapshot.captures(wal));
		if (observation.running() && observation.replicaCaughtUp()) {
			this.lastSyncTime = Instant.now();
		}
		this.latest = observation;
		return observation;
	}

	private LitestreamMetrics scrape() {
		try {
			return LitestreamMetrics.scrape(this.launcher.metricsPort(), this.database);
		}
		catch (IOException ex) {
			return null;
		}
	}

	private WalPosition replicaPosition(LitestreamMetrics metrics, WalPosition local) {
		if (metrics == null || metrics.replicaIndex() < 0 || local == null
				|| this.events.isPending(local.generation())) {
			return null;
		}
		return new WalPosition(local.generation(), metrics.replicaIndex(), metrics.replicaOffset());
	}

	LitestreamObservation latest() {
		return this.latest;
	}

	Instant lastSyncTime() {
		return this.lastSyncTime;
	}

	long syncCount() {
		return this.syncs.total();
	}

}
