package io.github.s3lite.internal.metrics;

import java.time.Clock;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import io.micrometer.core.instrument.FunctionCounter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tags;
import io.micrometer.core.instrument.TimeGauge;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.binder.MeterBinder;

import io.github.s3lite.replication.Replication;
import io.github.s3lite.replication.ReplicationStatus;
import io.github.s3lite.internal.restore.RestoreResult;
import io.github.s3lite.internal.verification.VerificationResult;

/**
 * Binds s3lite's meters, all tagged with {@code replica} and {@code engine}. The {@code s3lite.replication.*}
 * meters are the same for every engine; an engine's own counters are bound as
 * {@code s3lite.<engine>.<counter>} (for litestream, {@code s3lite.litestream.restarts}):
 * <ul>
 * <li>{@code s3lite.replication.lag} (bytes): WAL captured locally but not yet in the replica;</li>
 * <li>{@code s3lite.replication.since.sync} (seconds): time since the replica was last in sync;</li>
 * <li>{@code s3lite.replication.in.sync}: 1 when in sync, 0 otherwise;</li>
 * <li>{@code s3lite.replication.syncs}, {@code s3lite.replication.sync.errors}: counters;</li>
 * <li>{@code s3lite.restore.duration} and {@code s3lite.restore.size} (bytes): the startup restore,
 * tagged with its {@code outcome};</li>
 * <li>{@code s3lite.sync}: timer of {@code sync()} calls, tagged {@code outcome=success|failure};</li>
 * <li>{@code s3lite.verification.status}: 1 VERIFIED, 0 LAGGING, -1 FAILED (absent before the first
 * verification) and {@code s3lite.verification.since} (seconds since the last verification).</li>
 * </ul>
 */
public class S3liteMetrics implements MeterBinder {

	private final Replication replication;

	private final RestoreResult restore;

	private final Supplier<VerificationResult> lastVerification;

	private final Clock clock;

	/**
	 * Create the binder.
	 * @param replication the replication
	 * @param restore the startup restore
	 * @param lastVerification supplies the last verification, or {@code null}
	 * @param clock the clock
	 */
	public S3liteMetrics(Replication replication, RestoreResult restore, Supplier<VerificationResult> lastVerification,
			Clock clock) {
		this.replication = replication;
		this.restore = restore;
		this.lastVerification = lastVerification;
		this.clock = clock;
	}

	@Override
	public void bindTo(MeterRegistry registry) {
		ReplicationStatus initial = this.replication.status();
		Tags tags = Tags.of("replica", (initial.replica() != null) ? initial.replica() : "none", "engine",
				(initial.engine() != null) ? initial.engine() : "none");
		Replication replication = this.replication;
		Gauge.builder("s3lite.replication.lag", replication, (r) -> r.status().lagBytes())
			.tags(tags)
			.baseUnit("bytes")
			.description("WAL bytes captured locally but not yet known to be in the replica")
			.register(registry);
		TimeGauge.builder("s3lite.replication.since.sync", replication, TimeUnit.SECONDS, this::secondsSinceSync)
			.tags(tags)
			.description("Seconds since the replica was last observed in sync")
			.register(registry);
		Gauge.builder("s3lite.replication.in.sync", replication, (r) -> r.status().inSync() ? 1 : 0)
			.tags(tags)
			.description("1 when the replica holds everything captured locally")
			.register(registry);
		FunctionCounter.builder("s3lite.replication.syncs", replication, (r) -> r.status().syncCount())
			.tags(tags)
			.description("Syncs made by the replication engine")
			.register(registry);
		FunctionCounter.builder("s3lite.replication.sync.errors", replication, (r) -> r.status().syncErrorCount())
			.tags(tags)
			.description("Sync and replica errors seen by the replication engine")
			.register(registry);
		for (String counter : initial.engineCounters().keySet()) {
			FunctionCounter.builder("s3lite." + initial.engine() + "." + counter, replication,
					(r) -> r.status().engineCounter(counter))
				.tags(tags)
				.description("The " + initial.engine() + " engine's " + counter)
				.register(registry);
		}
		Tags restoreTags = tags.and("outcome", this.restore.outcome().name());
		TimeGauge.builder("s3lite.restore.duration", this.restore, TimeUnit.MILLISECONDS, (r) -> r.elapsed().toMillis())
			.tags(restoreTags)
			.description("Time the startup restore took")
			.register(registry);
		Gauge.builder("s3lite.restore.size", this.restore, RestoreResult::bytes)
			.tags(restoreTags)
			.baseUnit("bytes")
			.description("Size of the database restored at startup")
			.register(registry);
		Timer success = Timer.builder("s3lite.sync")
			.tags(tags.and("outcome", "success"))
			.description("Latency of sync() until the replica held every earlier commit")
			.register(registry);
		Timer failure = Timer.builder("s3lite.sync")
			.tags(tags.and("outcome", "failure"))
			.description("Latency of sync() until the replica held every earlier commit")
			.register(registry);
		replication.addSyncListener((elapsed, error) -> ((error != null) ? failure : success).record(elapsed));
		Gauge.builder("s3lite.verification.status", this.lastVerification, S3liteMetrics::verificationStatus)
			.tags(tags)
			.description("Last replica verification: 1 VERIFIED, 0 LAGGING, -1 FAILED")
			.register(registry);
		TimeGauge.builder("s3lite.verification.since", this.lastVerification, TimeUnit.SECONDS,
				this::secondsSinceVerification)
			.tags(tags)
			.description("Seconds since the last replica verification")
			.register(registry);
	}

	private double secondsSinceSync(Replication replication) {
		Duration since = replication.status().sinceLastSync(this.clock.instant());
		return (since != null) ? since.toMillis() / 1000.0 : Double.NaN;
	}

	private double secondsSinceVerification(Supplier<VerificationResult> last) {
		VerificationResult result = last.get();
		return (result != null) ? Duration.between(result.at(), this.clock.instant()).toMillis() / 1000.0 : Double.NaN;
	}

	private static double verificationStatus(Supplier<VerificationResult> last) {
		VerificationResult result = last.get();
		if (result == null) {
			return Double.NaN;
		}
		return switch (result.outcome()) {
			case VERIFIED -> 1;
			case LAGGING -> 0;
			case FAILED -> -1;
		};
	}

}
