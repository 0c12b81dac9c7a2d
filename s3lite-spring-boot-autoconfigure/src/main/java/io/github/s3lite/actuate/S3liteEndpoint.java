package io.github.s3lite.actuate;

import java.time.Clock;
import java.time.Duration;
import java.time.format.DateTimeParseException;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.boot.convert.DurationStyle;

import io.github.s3lite.datasource.ReplicatingDataSource;
import io.github.s3lite.internal.health.LeaseDetails;
import io.github.s3lite.internal.health.ReplicationDetails;
import io.github.s3lite.internal.lease.LeaseRole;
import io.github.s3lite.internal.lifecycle.DatabaseLifecycle;
import io.github.s3lite.replication.ReplicaPosition;
import io.github.s3lite.replication.Replication;
import io.github.s3lite.replication.ReplicationException;
import io.github.s3lite.internal.verification.ReplicaVerifier;
import io.github.s3lite.internal.verification.VerificationResult;

/**
 * {@code /actuator/s3lite}: GET returns the replication status (and the lease); POST runs an action,
 * {@code handover} (a follower asks the holder of the lease to hand it over), {@code refresh} (a
 * follower catches up with the replica now; see {@link ReplicatingDataSource#refresh()}), {@code sync}
 * (the default, bounded by {@code timeout}, e.g. {@code "10s"}, default 30s, at most
 * {@link #MAX_TIMEOUT}) or {@code verify} (bounded as a whole by {@code s3lite.verification.timeout}),
 * and returns its outcome. A request it cannot run (unknown action, invalid timeout) gets the outcome
 * {@value #REJECTED}, which {@link S3liteEndpointWebExtension} answers with {@code 400}.
 */
@Endpoint(id = "s3lite")
public class S3liteEndpoint {

	/** The longest {@code timeout} a sync accepts. */
	public static final Duration MAX_TIMEOUT = Duration.ofMinutes(10);

	/** The outcome of a request that was not run. */
	public static final String REJECTED = "REJECTED";

	private static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(30);

	private final Replication replication;

	private final ReplicaVerifier verifier;

	private final Clock clock;

	private final LeaseRole lease;

	private DatabaseLifecycle lifecycle;

	private ReplicatingDataSource dataSource;

	/**
	 * Create the endpoint.
	 * @param replication the replication
	 * @param verifier the replica verifier
	 * @param clock the clock
	 */
	public S3liteEndpoint(Replication replication, ReplicaVerifier verifier, Clock clock) {
		this(replication, verifier, clock, null);
	}

	/**
	 * Create the endpoint for an instance under the single-writer lease.
	 * @param replication the replication
	 * @param verifier the replica verifier
	 * @param clock the clock
	 * @param lease the lease role, or {@code null} without a lease
	 */
	public S3liteEndpoint(Replication replication, ReplicaVerifier verifier, Clock clock, LeaseRole lease) {
		this.replication = replication;
		this.verifier = verifier;
		this.clock = clock;
		this.lease = lease;
	}

	/**
	 * Show the lifecycle of the database: its state, since when, and its last transitions.
	 * @param lifecycle the lifecycle
	 * @return this endpoint
	 */
	public S3liteEndpoint withLifecycle(DatabaseLifecycle lifecycle) {
		this.lifecycle = lifecycle;
		return this;
	}

	/**
	 * Let the {@code refresh} action catch up through s3lite's pool.
	 * @param dataSource s3lite's pool
	 * @return this endpoint
	 */
	public S3liteEndpoint withDataSource(ReplicatingDataSource dataSource) {
		this.dataSource = dataSource;
		return this;
	}

	/**
	 * Return the replication status.
	 * @return the status details
	 */
	@ReadOperation
	public Map<String, Object> status() {
		Map<String, Object> status = new LinkedHashMap<>(
				ReplicationDetails.of(this.replication.status(), this.verifier.lastResult(), this.clock.instant()));
		if (this.lifecycle != null) {
			status.put("lifecycle", LifecycleDetails.of(this.lifecycle));
		}
		if (this.lease != null) {
			status.put("lease", LeaseDetails.of(this.lease.status()));
		}
		return status;
	}

	/**
	 * Run an action.
	 * @param action {@code sync} (default), {@code verify}, {@code handover} or {@code refresh}
	 * @param timeout bound of a sync, e.g. {@code 10s} (default 30s, at most 10 minutes)
	 * @return the outcome; {@value #REJECTED} for an unknown action or an invalid timeout
	 */
	@WriteOperation
	public Map<String, Object> run(@Nullable String action, @Nullable String timeout) {
		String name = (action != null) ? action.toLowerCase(Locale.ROOT) : "sync";
		Map<String, Object> result = new LinkedHashMap<>();
		result.put("action", name);
		switch (name) {
			case "sync" -> {
				Duration bound = parse(timeout);
				if (bound == null) {
					result.put("outcome", REJECTED);
					result.put("detail", "timeout '" + timeout + "' is not a positive duration of at most " + MAX_TIMEOUT
							+ ", such as 10s or 500ms");
				}
				else {
					sync(bound, result);
				}
			}
			case "verify" -> {
				VerificationResult verification = this.verifier.verify();
				result.put("outcome", verification.outcome().name());
				result.put("elapsedMs", verification.elapsed().toMillis());
				result.put("detail", verification.detail());
			}
			case "handover" -> handover(result);
			case "refresh" -> refresh(result);
			default -> {
				result.put("outcome", REJECTED);
				result.put("detail", "unknown action '" + action + "'; use 'sync', 'verify', 'handover' or 'refresh'");
			}
		}
		return result;
	}

	private void handover(Map<String, Object> result) {
		if (this.lease == null) {
			result.put("outcome", REJECTED);
			result.put("detail", "the single-writer lease is off (s3lite.lease.enabled=false)");
		}
		else if (this.lease.requestHandover()) {
			result.put("outcome", "REQUESTED");
			result.put("detail", "this follower asks the holder to hand over; see lease.role");
		}
		else {
			result.put("outcome", REJECTED);
			result.put("detail", "only a follower can ask for the lease; this instance is " + this.lease.status().role());
		}
		result.put("lease", (this.lease != null) ? LeaseDetails.of(this.lease.status()) : null);
	}

	private void refresh(Map<String, Object> result) {
		if (this.dataSource == null) {
			result.put("outcome", REJECTED);
			result.put("detail", "the application's DataSource is not s3lite's");
			return;
		}
		long started = System.nanoTime();
		try {
			ReplicaPosition position = this.dataSource.refresh();
			result.put("outcome", "REFRESHED");
			result.put("position", (position != null) ? position.toString() : null);
		}
		catch (ReplicationException ex) {
			result.put("outcome", "FAILED");
			result.put("error", ex.getMessage());
		}
		result.put("elapsedMs", (System.nanoTime() - started) / 1_000_000);
		if (this.lifecycle != null) {
			result.put("role", this.lifecycle.state().label());
		}
	}

	private void sync(Duration timeout, Map<String, Object> result) {
		long started = System.nanoTime();
		try {
			this.replication.sync(timeout);
			result.put("outcome", this.replication.status().configured() ? "SYNCED" : "NOT_CONFIGURED");
		}
		catch (ReplicationException ex) {
			result.put("outcome", "FAILED");
			result.put("error", ex.getMessage());
		}
		result.put("elapsedMs", (System.nanoTime() - started) / 1_000_000);
		result.put("status", status());
	}

	private static Duration parse(String timeout) {
		if (timeout == null || timeout.isBlank()) {
			return DEFAULT_TIMEOUT;
		}
		try {
			Duration duration = DurationStyle.detectAndParse(timeout.strip());
			boolean valid = !duration.isNegative() && !duration.isZero() && duration.compareTo(MAX_TIMEOUT) <= 0;
			return valid ? duration : null;
		}
		catch (IllegalArgumentException | DateTimeParseException ex) {
			return null;
		}
	}

}
