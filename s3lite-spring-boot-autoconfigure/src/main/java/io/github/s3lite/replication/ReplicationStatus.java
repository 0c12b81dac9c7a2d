package io.github.s3lite.replication;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

/**
 * A snapshot of the replication state, built without network I/O. What every engine can say is in
 * the components; what only one engine knows (a child process's pid, its version, a generation) is in
 * {@link #details()}, and its own counters (restarts, for example) in {@link #engineCounters()}.
 *
 * @param configured whether replication is configured ({@code s3lite.backup-to} set)
 * @param engine the engine's name, or {@code null} when replication is not configured
 * @param replica the replica URL, never with credentials, or {@code null}
 * @param replicating whether the engine is running and replicating
 * @param localPosition the position captured locally, or {@code null}
 * @param replicatedPosition the position known to be in the replica, or {@code null}
 * @param lagBytes WAL bytes captured locally but not yet known to be in the replica
 * @param inSync whether the replica has everything captured locally
 * @param lastSyncTime the replica held every commit made before this time (the last time it was seen
 * in sync, or when its last upload started), or {@code null}
 * @param syncCount how many syncs the engine made (never decreases)
 * @param syncErrorCount how many syncs failed (never decreases)
 * @param lastError the last replication error, or {@code null}
 * @param lastErrorTime when the last error happened, or {@code null}
 * @param details engine-specific details, shown as they are by health and the ops endpoint
 * @param engineCounters engine-specific counters (never decreasing), bound as meters named after the
 * engine
 */
public record ReplicationStatus(boolean configured, String engine, String replica, boolean replicating,
		ReplicaPosition localPosition, ReplicaPosition replicatedPosition, long lagBytes, boolean inSync,
		Instant lastSyncTime, long syncCount, long syncErrorCount, String lastError, Instant lastErrorTime,
		Map<String, Object> details, Map<String, Long> engineCounters) {

	/**
	 * The status of a database without replication.
	 */
	public static final ReplicationStatus NOT_CONFIGURED = new ReplicationStatus(false, null, null, false, null, null,
			0, true, null, 0, 0, null, null, Map.of(), Map.of());

	public ReplicationStatus {
		details = (details != null) ? Map.copyOf(details) : Map.of();
		engineCounters = (engineCounters != null) ? Map.copyOf(engineCounters) : Map.of();
	}

	/**
	 * Return how long ago the replica was last observed in sync.
	 * @param now the current time
	 * @return the time since the last sync, or {@code null} if it never was
	 */
	public Duration sinceLastSync(Instant now) {
		return (this.lastSyncTime != null) ? Duration.between(this.lastSyncTime, now) : null;
	}

	/**
	 * Return an engine-specific counter.
	 * @param name the counter's name, e.g. {@code restarts}
	 * @return its value, 0 when the engine has no such counter
	 */
	public long engineCounter(String name) {
		return this.engineCounters.getOrDefault(name, 0L);
	}

}
