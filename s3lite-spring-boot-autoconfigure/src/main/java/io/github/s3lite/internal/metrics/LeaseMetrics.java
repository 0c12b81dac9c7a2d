package io.github.s3lite.internal.metrics;

import java.util.function.Supplier;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

import io.github.s3lite.internal.lease.LeaseStatus;

/**
 * Meters of the single-writer lease: {@code s3lite.lease.renewals} and
 * {@code s3lite.lease.renewal.failures} (counters), {@code s3lite.lease.handovers} (counter, given and
 * received), and {@code s3lite.lease.writer} (gauge: 1 while this instance is the writer, 0 while it
 * follows, catches up, hands over or is fenced).
 */
public class LeaseMetrics implements MeterBinder {

	private final Supplier<LeaseStatus> lease;

	/**
	 * Create the meters.
	 * @param lease supplies the lease status, without I/O; {@code null} without a lease (no meters)
	 */
	public LeaseMetrics(Supplier<LeaseStatus> lease) {
		this.lease = lease;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		if (this.lease == null) {
			return;
		}
		FunctionCounter.builder("s3lite.lease.renewals", this.lease, (l) -> l.get().renewals())
			.description("Successful renewals of the lease")
			.register(registry);
		FunctionCounter.builder("s3lite.lease.renewal.failures", this.lease, (l) -> l.get().renewalFailures())
			.description("Renewals of the lease that failed or did not finish in time")
			.register(registry);
		FunctionCounter.builder("s3lite.lease.handovers", this.lease, (l) -> l.get().handovers())
			.description("Hand-overs of the lease this instance gave or received")
			.register(registry);
		Gauge.builder("s3lite.lease.writer", this.lease, (l) -> l.get().writer() ? 1 : 0)
			.description("1 while this instance is the writer, else 0")
			.register(registry);
	}

}
