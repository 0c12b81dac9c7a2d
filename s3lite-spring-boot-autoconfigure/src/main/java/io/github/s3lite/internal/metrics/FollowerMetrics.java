package io.github.s3lite.internal.metrics;

import java.time.Clock;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.binder.MeterBinder;

import io.github.s3lite.internal.follow.FollowerStatus;

/**
 * Meter of a follower's staleness: {@code s3lite.follower.lag} (time gauge, seconds), the age of the data
 * its readers see (how long since the replica was last seen holding nothing newer; since it started
 * following before its first refresh), {@code NaN} while this instance does not follow. The same age as
 * health's {@code follower.age}.
 */
public class FollowerMetrics implements MeterBinder {

	private final Supplier<FollowerStatus> follower;

	private final Clock clock;

	/**
	 * Create the meter.
	 * @param follower supplies what the follower's readers see, without I/O, {@code null} while not
	 * following; {@code null} without the lease (no meter)
	 * @param clock the clock
	 */
	public FollowerMetrics(Supplier<FollowerStatus> follower, Clock clock) {
		this.follower = follower;
		this.clock = clock;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		if (this.follower == null) {
			return;
		}
		TimeGauge.builder("s3lite.follower.lag", this.follower, TimeUnit.SECONDS, this::lagSeconds)
			.description("Seconds since the replica was last seen holding nothing newer than what this follower's "
					+ "readers see (NaN while not following)")
			.register(registry);
	}

	private double lagSeconds(Supplier<FollowerStatus> follower) {
		FollowerStatus status = follower.get();
		return (status != null) ? status.age(this.clock.instant()).toMillis() / 1000.0 : Double.NaN;
	}

}
