package io.github.s3lite.internal.health;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import io.github.s3lite.replication.ReplicationStatus;
import io.github.s3lite.internal.verification.VerificationResult;

/**
 * The replication status as the ordered map shown by the health indicator and the ops endpoint.
 * Holds no credentials: the replica is shown as its URL, which never carries any.
 */
public final class ReplicationDetails {

	private ReplicationDetails() {
	}

	/**
	 * Describe a status.
	 * @param status the status
	 * @param verification the last verification, or {@code null}
	 * @param now the current time
	 * @return the details
	 */
	public static Map<String, Object> of(ReplicationStatus status, VerificationResult verification, Instant now) {
		Map<String, Object> details = new LinkedHashMap<>();
		if (!status.configured()) {
			details.put("replication", "not configured (s3lite.backup-to is not set)");
			return details;
		}
		details.put("replica", status.replica());
		details.put("engine", status.engine());
		details.put("replicating", status.replicating());
		details.put("localPosition", (status.localPosition() != null) ? status.localPosition().toString() : null);
		details.put("replicaPosition",
				(status.replicatedPosition() != null) ? status.replicatedPosition().toString() : null);
		details.put("lagBytes", status.lagBytes());
		details.put("inSync", status.inSync());
		details.put("lastSyncTime", (status.lastSyncTime() != null) ? status.lastSyncTime().toString() : null);
		Duration sinceLastSync = status.sinceLastSync(now);
		details.put("sinceLastSync", (sinceLastSync != null) ? round(sinceLastSync).toString() : null);
		details.put("syncCount", status.syncCount());
		details.put("syncErrors", status.syncErrorCount());
		details.put("lastError", status.lastError());
		details.put("lastErrorTime", (status.lastErrorTime() != null) ? status.lastErrorTime().toString() : null);
		Map<String, Object> engine = new LinkedHashMap<>(status.details());
		engine.putAll(status.engineCounters());
		if (!engine.isEmpty()) {
			details.put(status.engine(), engine);
		}
		if (verification != null) {
			Map<String, Object> last = new LinkedHashMap<>();
			last.put("outcome", verification.outcome().name());
			last.put("at", verification.at().toString());
			last.put("detail", verification.detail());
			details.put("verification", last);
		}
		return details;
	}

	private static Duration round(Duration duration) {
		return Duration.ofMillis(duration.toMillis());
	}

}
