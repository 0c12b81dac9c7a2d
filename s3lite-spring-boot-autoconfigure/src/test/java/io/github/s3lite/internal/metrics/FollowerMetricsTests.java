package io.github.s3lite.internal.metrics;

import java.time.Duration;
import java.time.Instant;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;

import io.github.s3lite.internal.follow.FollowerStatus;
import io.github.s3lite.internal.replication.WalPosition;
import io.github.s3lite.test.MutableClock;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code s3lite.follower.lag} is the age of a follower's data in seconds, as health shows it, and NaN
 * while the instance does not follow; without the lease there is no such meter.
 */
class FollowerMetricsTests {

	private static final Instant START = Instant.parse("2026-09-01T10:00:00Z");

	private final MutableClock clock = new MutableClock(START);

	private FollowerStatus follower;

	@Test
	void theLagIsTheAgeOfTheFollowersDataInSecondsAndNanWhileNotFollowing() {
		MeterRegistry registry = new SimpleMeterRegistry();
		new FollowerMetrics(() -> this.follower, this.clock).bindTo(registry);
		assertThat(lag(registry)).isNaN();
		this.follower = new FollowerStatus(new WalPosition("0123456789abcdef", 1, 4152), START, false);
		this.clock.advance(Duration.ofMillis(2500));
		assertThat(lag(registry)).isEqualTo(2.5);
		this.follower = null;
		assertThat(lag(registry)).isNaN();
	}

	@Test
	void withoutTheLeaseThereIsNoFollowerLag() {
		MeterRegistry registry = new SimpleMeterRegistry();
		new FollowerMetrics(null, this.clock).bindTo(registry);
		assertThat(registry.find("s3lite.follower.lag").meter()).isNull();
	}

	private static double lag(MeterRegistry registry) {
		return registry.get("s3lite.follower.lag").timeGauge().value();
	}

}
