package io.github.s3lite.internal.metrics;

import java.util.function.ToDoubleFunction;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.binder.MeterBinder;

import io.github.s3lite.replication.DurableCommitStats;
import io.github.s3lite.internal.replication.DurableReplication;

/**
 * Meters of durable commits ({@code s3lite.durable-commits=true}), read from
 * {@link DurableReplication#durableCommitStats()} without I/O: the counters
 * {@code s3lite.durable.commits} (commits that waited for the replica), {@code s3lite.durable.uploads}
 * (uploads run for them; fewer than commits when commits share an upload),
 * {@code s3lite.durable.upload.failures}, {@code s3lite.durable.not.replicated} (commits that failed
 * with {@code NotReplicatedException} after committing locally), {@code s3lite.durable.refused.writes}
 * (writes refused before committing while the replica was unreachable), and the gauge
 * {@code s3lite.durable.failing} (1 while commits fail, else 0).
 */
public class DurableCommitMetrics implements MeterBinder {

	private final DurableReplication durable;

	/**
	 * Create the meters.
	 * @param durable the replication durable commits wait for
	 */
	public DurableCommitMetrics(DurableReplication durable) {
		this.durable = durable;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		counter(registry, "s3lite.durable.commits", "Commits that waited for the replica", DurableCommitStats::commitsAwaited);
		counter(registry, "s3lite.durable.uploads", "Uploads run for waiting commits", DurableCommitStats::uploads);
		counter(registry, "s3lite.durable.upload.failures", "Uploads for waiting commits that failed",
				DurableCommitStats::failedUploads);
		counter(registry, "s3lite.durable.not.replicated", "Commits committed locally but not replicated in time",
				DurableCommitStats::notReplicated);
		counter(registry, "s3lite.durable.refused.writes", "Writes refused while the replica was unreachable",
				DurableCommitStats::refusedWrites);
		Gauge.builder("s3lite.durable.failing", this.durable, (d) -> d.durableCommitStats().failing() ? 1 : 0)
			.description("1 while durable commits fail, else 0")
			.register(registry);
	}

	private void counter(MeterRegistry registry, String name, String description,
			ToDoubleFunction<DurableCommitStats> value) {
		FunctionCounter.builder(name, this.durable, (d) -> value.applyAsDouble(d.durableCommitStats()))
			.description(description)
			.register(registry);
	}

}
