package io.github.s3lite.health;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

import io.github.s3lite.replication.Replication;
import io.github.s3lite.replication.ReplicationStatus;
import io.github.s3lite.test.MutableClock;
import io.github.s3lite.internal.replication.WalPosition;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The health rules of {@link S3liteHealthIndicator}. These are pure rules over a
 * {@link ReplicationStatus} and the time, so the replication is a stub returning a fixed status and
 * the clock is a mutable one: no litestream, no S3. Every status is built by {@link #status} so that a
 * change of {@link ReplicationStatus}'s shape is a one-place change here.
 */
class S3liteHealthIndicatorTests {

	private static final Duration MAX_LAG = Duration.ofMinutes(5);

	private static final Instant START = Instant.parse("2026-01-01T00:00:00Z");

	private final MutableClock clock = new MutableClock(START);

	private ReplicationStatus current = ReplicationStatus.NOT_CONFIGURED;

	private final S3liteHealthIndicator indicator = new S3liteHealthIndicator(new StubReplication(), MAX_LAG,
			() -> null, this.clock);

	@Test
	void isUpWhenReplicationIsNotConfigured() {
		Health health = this.indicator.health();
		assertThat(health.getStatus()).isEqualTo(Status.UP);
		assertThat(health.getDetails()).containsKey("replication");
	}

	@Test
	void isDownWhenLitestreamIsNotRunning() {
		this.current = status(false, true, START);
		Health health = this.indicator.health();
		assertThat(health.getStatus()).isEqualTo(Status.DOWN);
		assertThat(health.getDetails()).containsEntry("reason", "litestream is not replicating");
	}

	@Test
	void isUpWhenTheReplicaIsInSync() {
		this.current = status(true, true, START);
		this.clock.advance(MAX_LAG.multipliedBy(10));
		assertThat(this.indicator.health().getStatus()).isEqualTo(Status.UP);
	}

	@Test
	void isUpWhileTheReplicaIsBehindForAtMostMaxLag() {
		this.current = status(true, false, START.plusSeconds(60));
		this.clock.advance(Duration.ofSeconds(60).plus(MAX_LAG));
		assertThat(this.indicator.health().getStatus()).isEqualTo(Status.UP);
	}

	@Test
	void isDownOnceTheReplicaIsBehindForLongerThanMaxLagNamingTheProperty() {
		this.current = status(true, false, START.plusSeconds(60));
		this.clock.advance(Duration.ofSeconds(61).plus(MAX_LAG));
		Health health = this.indicator.health();
		assertThat(health.getStatus()).isEqualTo(Status.DOWN);
		assertThat((String) health.getDetails().get("reason")).contains("s3lite.health.max-lag")
			.contains("behind for PT5M1S")
			.contains("last error: replica unreachable");
	}

	@Test
	void measuresTheLagFromWhenTheIndicatorWasCreatedWhenTheReplicaNeverSynced() {
		this.current = status(true, false, null);
		this.clock.advance(MAX_LAG);
		assertThat(this.indicator.health().getStatus()).isEqualTo(Status.UP);
		this.clock.advance(Duration.ofSeconds(1));
		Health health = this.indicator.health();
		assertThat(health.getStatus()).isEqualTo(Status.DOWN);
		assertThat((String) health.getDetails().get("reason")).contains("behind for PT5M1S")
			.contains("s3lite.health.max-lag");
	}

	/**
	 * The one place statuses are built.
	 * @param replicating whether the engine runs
	 * @param inSync whether the replica has everything captured locally
	 * @param lastSyncTime when it was last in sync, or {@code null} for never
	 * @return the status
	 */
	private static ReplicationStatus status(boolean replicating, boolean inSync, Instant lastSyncTime) {
		WalPosition local = new WalPosition("0123456789abcdef", 1, inSync ? 4152 : 8272);
		WalPosition replica = new WalPosition("0123456789abcdef", 1, 4152);
		return new ReplicationStatus(true, "litestream", "s3://bucket/db", replicating, local, replica, inSync ? 0 : 4120,
				inSync, lastSyncTime, 10, inSync ? 0 : 1, inSync ? null : "replica unreachable", inSync ? null : START,
				Map.of(), Map.of());
	}

	private final class StubReplication implements Replication {

		@Override
		public void sync(Duration timeout) {
			throw new UnsupportedOperationException("the health indicator never syncs");
		}

		@Override
		public ReplicationStatus status() {
			return S3liteHealthIndicatorTests.this.current;
		}

		@Override
		public void stop() {
		}

	}

}
