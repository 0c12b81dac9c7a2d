package io.github.s3lite.internal.health;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

import io.github.s3lite.health.S3liteHealthIndicator;
import io.github.s3lite.internal.follow.FollowerStatus;
import io.github.s3lite.internal.lease.LeaseStatus;
import io.github.s3lite.internal.replication.WalPosition;
import io.github.s3lite.replication.Replication;
import io.github.s3lite.replication.ReplicationStatus;
import io.github.s3lite.test.MutableClock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

/**
 * A follower's staleness is visible and bounded (issue 23): health shows what its readers see and how old
 * it is, and is DOWN once that age exceeds {@code s3lite.health.max-lag}, unless the follower refreshes on
 * demand only. Rules over a {@link FollowerStatus} and a clock moved by hand, without S3.
 */
class FollowerHealthTests {

	private static final Duration MAX_LAG = Duration.ofMinutes(1);

	private static final Duration INTERVAL = Duration.ofSeconds(1);

	private static final Instant START = Instant.parse("2026-09-01T10:00:00Z");

	private static final WalPosition POSITION = new WalPosition("0123456789abcdef", 3, 4152);

	private final MutableClock clock = new MutableClock(START);

	private LeaseStatus lease = lease(false, "follower");

	private FollowerStatus follower = new FollowerStatus(POSITION, START, false);

	@Test
	void aFreshFollowerIsUpAndShowsWhatItsReadersSeeAndHowOldItIs() {
		this.clock.advance(Duration.ofMillis(1500));
		Health health = indicator(INTERVAL).health();
		assertThat(health.getStatus()).isEqualTo(Status.UP);
		assertThat(follower(health)).containsExactly(entry("position", POSITION.toString()),
				entry("checkedAt", START.toString()), entry("age", "PT1.5S"), entry("refreshInterval", "PT1S"),
				entry("failing", false));
		assertThat(health.getDetails()).containsEntry("maxLag", "PT1M").doesNotContainKey("reason");
	}

	@Test
	void aFollowerWhoseDataIsOlderThanMaxLagIsDownNamingThePropertyAndTheFailingRefreshes() {
		this.follower = new FollowerStatus(POSITION, START, true);
		this.clock.advance(MAX_LAG);
		assertThat(indicator(INTERVAL).health().getStatus()).as("at max-lag").isEqualTo(Status.UP);
		this.clock.advance(Duration.ofSeconds(1));
		Health health = indicator(INTERVAL).health();
		assertThat(health.getStatus()).isEqualTo(Status.DOWN);
		assertThat(follower(health)).containsEntry("age", "PT1M1S").containsEntry("failing", true);
		assertThat((String) health.getDetails().get("reason")).contains("PT1M1S old", "s3lite.health.max-lag (PT1M)",
				"refreshes are failing");
	}

	@Test
	void aFollowerThatHasNotRefreshedSinceItStartedFollowingIsDownOnceThatIsLongerThanMaxLag() {
		this.follower = new FollowerStatus(null, START, false);
		this.clock.advance(MAX_LAG.plusSeconds(1));
		Health health = indicator(INTERVAL).health();
		assertThat(health.getStatus()).isEqualTo(Status.DOWN);
		assertThat(follower(health)).containsEntry("position", null).containsEntry("age", "PT1M1S");
	}

	@Test
	void aFollowerThatRefreshesOnDemandOnlyShowsTheAgeOfItsDataAndStaysUp() {
		this.clock.advance(MAX_LAG.multipliedBy(10));
		Health health = indicator(Duration.ZERO).health();
		assertThat(health.getStatus()).isEqualTo(Status.UP);
		assertThat(follower(health)).containsEntry("age", "PT10M").containsEntry("refreshInterval", "PT0S");
	}

	@Test
	void theWriterShowsNoFollowerDetailAndIsNotJudgedByOne() {
		this.lease = lease(true, "writer");
		this.clock.advance(MAX_LAG.multipliedBy(10));
		Health health = indicator(INTERVAL).health();
		assertThat(health.getStatus()).isEqualTo(Status.UP);
		assertThat(health.getDetails()).doesNotContainKey("follower");
	}

	@Test
	void anInstanceThatReportsNoFollowerStatusShowsNoFollowerDetail() {
		this.follower = null;
		Health health = indicator(INTERVAL).health();
		assertThat(health.getStatus()).isEqualTo(Status.UP);
		assertThat(health.getDetails()).doesNotContainKey("follower");
	}

	private S3liteHealthIndicator indicator(Duration refreshInterval) {
		return new S3liteHealthIndicator(notConfigured(), MAX_LAG, () -> null, this.clock, () -> this.lease)
			.withFollower(() -> this.follower, refreshInterval);
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> follower(Health health) {
		return (Map<String, Object>) health.getDetails().get("follower");
	}

	private static LeaseStatus lease(boolean writer, String role) {
		return new LeaseStatus(writer, "web-1", writer ? "web-1" : "web-2", START.plus(Duration.ofDays(1)), 4, 0, 0,
				writer ? null : "it does not hold the lease", null, role, 0, null);
	}

	private static Replication notConfigured() {
		return new Replication() {

			@Override
			public void sync(Duration timeout) {
				throw new UnsupportedOperationException("the health indicator never syncs");
			}

			@Override
			public ReplicationStatus status() {
				return ReplicationStatus.NOT_CONFIGURED;
			}

			@Override
			public void stop() {
			}

		};
	}

}
