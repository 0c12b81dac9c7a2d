package io.github.s3lite.health;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

import io.github.s3lite.internal.follow.FollowerStatus;
import io.github.s3lite.internal.lease.LeaseStatus;
import io.github.s3lite.internal.lifecycle.DatabaseLifecycle;
import io.github.s3lite.replication.DurableCommitStats;
import io.github.s3lite.internal.replication.DurableReplication;
import io.github.s3lite.replication.Replication;
import io.github.s3lite.replication.ReplicationStatus;
import io.github.s3lite.internal.verification.VerificationResult;
import io.github.s3lite.internal.health.FollowerDetails;
import io.github.s3lite.internal.health.LeaseDetails;
import io.github.s3lite.internal.health.ReplicationDetails;
import io.github.s3lite.internal.health.Writability;

/**
 * Health of replication, from the status the engine last observed (no network I/O):
 * <ul>
 * <li>{@code writable} ({@code true|false}) tells whether this instance accepts writes now, and
 * {@code writableReason} why not (see {@link Writability});</li>
 * <li>with the single-writer lease, a {@code lease} detail (role, owner, holder, expiry, renewals, the
 * last hand-over); a follower (also while it catches up to become the writer, or hands over) is UP:
 * it serves reads and refuses writes with {@code NotWriterException}; an instance that is fenced (lost
 * its lease, or could not renew it in time) is DOWN, and so is a follower that could not read the lease
 * at startup and has known no holder since (a lone instance that cannot reach the replica refuses every
 * write);</li>
 * <li>a follower shows a {@code follower} detail: the {@code position} its readers see, {@code checkedAt}
 * (when the replica last held nothing newer), the {@code age} of its data (now − {@code checkedAt};
 * before its first refresh, since it started following), {@code refreshInterval} and {@code failing}
 * (the last refresh failed); it is DOWN while that age exceeds {@code s3lite.health.max-lag}, unless it
 * refreshes on demand only ({@code s3lite.follower.refresh-interval=0});</li>
 * <li>no replication configured: UP, with a detail saying so;</li>
 * <li>the engine is not replicating (e.g. its process is not running): DOWN;</li>
 * <li>the replica is in sync, or has been behind for at most {@code s3lite.health.max-lag}: UP;</li>
 * <li>the replica has been behind for longer than {@code max-lag} (an S3 outage, persistent sync
 * errors, an upload that cannot keep up): DOWN.</li>
 * </ul>
 * A {@code commits} detail shows the mode ({@code durable} or {@code async}); with durable commits, a
 * {@code durableCommits} detail shows their counters, and the indicator is DOWN while commits fail
 * (the last upload for a commit failed or timed out, so writes are refused).
 */
public class S3liteHealthIndicator extends AbstractHealthIndicator {

	private final Replication replication;

	private final Duration maxLag;

	private final Supplier<VerificationResult> lastVerification;

	private final Clock clock;

	private final Instant createdAt;

	private final Supplier<LeaseStatus> lease;

	private DurableReplication durableCommits;

	private BooleanSupplier leaseUnreadAtStartup = () -> false;

	private DatabaseLifecycle lifecycle;

	private Supplier<FollowerStatus> follower = () -> null;

	private Duration refreshInterval = Duration.ZERO;

	/**
	 * Create the indicator.
	 * @param replication the replication
	 * @param maxLag how long the replica may stay behind
	 * @param lastVerification supplies the last verification, or {@code null}
	 * @param clock the clock
	 */
	public S3liteHealthIndicator(Replication replication, Duration maxLag,
			Supplier<VerificationResult> lastVerification, Clock clock) {
		this(replication, maxLag, lastVerification, clock, null);
	}

	/**
	 * Create the indicator for an instance that holds the single-writer lease.
	 * @param replication the replication
	 * @param maxLag how long the replica may stay behind
	 * @param lastVerification supplies the last verification, or {@code null}
	 * @param clock the clock
	 * @param lease supplies the lease status, or {@code null} without a lease
	 */
	public S3liteHealthIndicator(Replication replication, Duration maxLag,
			Supplier<VerificationResult> lastVerification, Clock clock, Supplier<LeaseStatus> lease) {
		super("s3lite health check failed");
		this.lease = lease;
		this.replication = replication;
		this.maxLag = maxLag;
		this.lastVerification = lastVerification;
		this.clock = clock;
		this.createdAt = clock.instant();
	}

	/**
	 * Report durable commits: their counters, and DOWN while they fail.
	 * @param durable the replication commits wait for
	 * @return this indicator
	 */
	public S3liteHealthIndicator withDurableCommits(DurableReplication durable) {
		this.durableCommits = durable;
		return this;
	}

	/**
	 * Report whether the lease could not be read at startup: such a follower that knows no holder is
	 * DOWN (it refuses every write, and no other instance is known to accept them).
	 * @param leaseUnreadAtStartup supplies whether the startup attempt to read the lease failed
	 * @return this indicator
	 */
	public S3liteHealthIndicator withLeaseUnreadAtStartup(BooleanSupplier leaseUnreadAtStartup) {
		this.leaseUnreadAtStartup = leaseUnreadAtStartup;
		return this;
	}

	/**
	 * Show the state of the database's lifecycle ({@code state}, e.g. {@code writer}, {@code fenced}).
	 * @param lifecycle the lifecycle
	 * @return this indicator
	 */
	public S3liteHealthIndicator withLifecycle(DatabaseLifecycle lifecycle) {
		this.lifecycle = lifecycle;
		return this;
	}

	/**
	 * Show a follower's staleness ({@code follower}), and be DOWN while its data is older than
	 * {@code max-lag} (unless it refreshes on demand only).
	 * @param follower supplies what the follower's readers see, without I/O; {@code null} while not
	 * following
	 * @param refreshInterval {@code s3lite.follower.refresh-interval}, {@link Duration#ZERO} for on demand
	 * only
	 * @return this indicator
	 */
	public S3liteHealthIndicator withFollower(Supplier<FollowerStatus> follower, Duration refreshInterval) {
		this.follower = follower;
		this.refreshInterval = refreshInterval;
		return this;
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		ReplicationStatus status = this.replication.status();
		Instant now = this.clock.instant();
		DurableCommitStats stats = (this.durableCommits != null) ? this.durableCommits.durableCommitStats() : null;
		LeaseStatus lease = (this.lease != null) ? this.lease.get() : null;
		Writability writability = Writability.of(lease, this.leaseUnreadAtStartup.getAsBoolean(),
				stats != null && stats.failing(), now);
		if (this.lifecycle != null) {
			builder.withDetail("state", this.lifecycle.state().label());
		}
		builder.withDetail("writable", writability.writable());
		if (!writability.writable()) {
			builder.withDetail("writableReason", writability.reason());
		}
		builder.withDetails(ReplicationDetails.of(status, this.lastVerification.get(), now));
		builder.withDetail("commits", (this.durableCommits != null) ? "durable" : "async");
		if (stats != null) {
			builder.withDetail("durableCommits", durableDetails(stats));
			if (stats.failing()) {
				builder.down()
					.withDetail("reason", "durable commits are failing: the replica did not store the last upload, "
							+ "so writes are refused" + ((stats.lastError() != null) ? "; last error: "
									+ stats.lastError() : ""));
				return;
			}
		}
		if (lease != null) {
			builder.withDetail("lease", LeaseDetails.of(lease));
			if ("fenced".equals(lease.role())) {
				builder.down().withDetail("reason", "this instance is fenced: " + lease.fencedReason());
				return;
			}
			if (writability.down()) {
				builder.down().withDetail("reason", writability.reason());
				return;
			}
			if (!lease.writer()) {
				followerHealth(builder, now);
				return;
			}
		}
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

	private void followerHealth(Health.Builder builder, Instant now) {
		FollowerStatus status = this.follower.get();
		if (status == null) {
			builder.up();
			return;
		}
		builder.withDetail("follower", FollowerDetails.of(status, this.refreshInterval, now));
		builder.withDetail("maxLag", this.maxLag.toString());
		String down = FollowerDetails.downReason(status, this.refreshInterval, this.maxLag, now);
		if (down != null) {
			builder.down().withDetail("reason", down);
			return;
		}
		builder.up();
	}

	private static Map<String, Object> durableDetails(DurableCommitStats stats) {
		Map<String, Object> details = new LinkedHashMap<>();
		details.put("failing", stats.failing());
		details.put("commitsAwaited", stats.commitsAwaited());
		details.put("uploads", stats.uploads());
		details.put("failedUploads", stats.failedUploads());
		details.put("notReplicated", stats.notReplicated());
		details.put("refusedWrites", stats.refusedWrites());
		return details;
	}

}
