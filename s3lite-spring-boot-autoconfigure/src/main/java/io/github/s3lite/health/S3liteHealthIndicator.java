package io.github.s3lite.health;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

import io.github.s3lite.replication.Replication;
import io.github.s3lite.replication.ReplicationStatus;
import io.github.s3lite.verification.VerificationResult;

/**
 * Health of replication, from the status the engine last observed (no network I/O):
 * <ul>
 * <li>no replication configured: UP, with a detail saying so;</li>
 * <li>the engine is not replicating (e.g. its process is not running): DOWN;</li>
 * <li>the replica is in sync, or has been behind for at most {@code s3lite.health.max-lag}: UP;</li>
 * <li>the replica has been behind for longer than {@code max-lag} (an S3 outage, persistent sync
 * errors, an upload that cannot keep up): DOWN.</li>
 * </ul>
 */
public class S3liteHealthIndicator extends AbstractHealthIndicator {

	private final Replication replication;

	private final Duration maxLag;

	private final Supplier<VerificationResult> lastVerification;

	private final Clock clock;

	private final Instant createdAt;

	/**
	 * Create the indicator.
	 * @param replication the replication
	 * @param maxLag how long the replica may stay behind
	 * @param lastVerification supplies the last verification, or {@code null}
	 * @param clock the clock
	 */
	public S3liteHealthIndicator(Replication replication, Duration maxLag,
			Supplier<VerificationResult> lastVerification, Clock clock) {
		super("s3lite health check failed");
		this.replication = replication;
		this.maxLag = maxLag;
		this.lastVerification = lastVerification;
		this.clock = clock;
		this.createdAt = clock.instant();
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		ReplicationStatus status = this.replication.status();
		Instant now = this.clock.instant();
		builder.withDetails(ReplicationDetails.of(status, this.lastVerification.get(), now));
		if (!status.configured()) {
			builder.up();
			return;
		}
		builder.withDetail("maxLag", this.maxLag.toString());
		if (!status.replicating()) {
			builder.down().withDetail("reason", status.engine() + " is not replicating");
			return;
		}
		if (status.inSync()) {
			builder.up();
			return;
		}
		Instant reference = (status.lastSyncTime() != null) ? status.lastSyncTime() : this.createdAt;
		Duration behind = Duration.between(reference, now);
		if (behind.compareTo(this.maxLag) > 0) {
			builder.down()
				.withDetail("reason", "the replica has been behind for " + Duration.ofMillis(behind.toMillis())
						+ ", more than s3lite.health.max-lag (" + this.maxLag + ")"
						+ ((status.lastError() != null) ? "; last error: " + status.lastError() : ""));
			return;
		}
		builder.up();
	}

}
