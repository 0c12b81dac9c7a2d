package io.github.s3lite.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import io.github.s3lite.datasource.ReplicatingDataSource;
import io.github.s3lite.test.S3ProxyServer;

/**
 * Replication latency under a steady write load (one single-row transaction every 10 ms), hand-rolled in
 * this JVM: for one commit in 20, picked at random (a fixed stride would sample the same phase of
 * litestream's monitor ticks every time), the time until litestream reports the replica at or past the position
 * where that commit ends ({@link WalTail}, {@link ReplicaPositionProbe}, polled every 5 ms); then the
 * duration of {@code sync()} calls made at random moments under the same load.
 */
final class ReplicationLatencyBenchmark {

	private static final long WRITE_PERIOD_MILLIS = 10;

	/** One commit in this many, at random, is a probe. */
	private static final int PROBE_EVERY = 20;

	private final S3ProxyServer s3;

	private final Path work;

	private final Duration load;

	private final Duration syncPhase;

	ReplicationLatencyBenchmark(S3ProxyServer s3, Path work, Duration load, Duration syncPhase) {
		this.s3 = s3;
		this.work = work;
		this.load = load;
		this.syncPhase = syncPhase;
	}

	private record Probe(long committedAt, long[] target) {
	}

	void measure(String label, Map<String, Object> tuning, Table table) throws Exception {
		Path database = this.work.resolve("latency-" + label.hashCode()).resolve("app.sqlite3");
		String prefix = "latency-" + Integer.toHexString(label.hashCode());
		Map<String, Object> properties = BenchApps.replicated(this.s3.endpoint(), database.toString(), prefix);
		properties.putAll(tuning);
		List<Double> commitToReplica = Collections.synchronizedList(new ArrayList<>());
		List<Double> syncs = new ArrayList<>();
		ConcurrentLinkedQueue<Probe> pending = new ConcurrentLinkedQueue<>();
		AtomicLong writes = new AtomicLong();
		AtomicLong failures = new AtomicLong();
		ScheduledExecutorService threads = Executors.newScheduledThreadPool(2);
		try (ConfigurableApplicationContext context = BenchApps.start(properties)) {
			ReplicatingDataSource dataSource = context.getBean(ReplicatingDataSource.class);
			JdbcTemplate jdbc = new JdbcTemplate(dataSource);
			WalTail tail = new WalTail(database);
			ReplicaPositionProbe replica = new ReplicaPositionProbe(
					((Number) dataSource.status().details().get("pid")).longValue());
			dataSource.sync(Duration.ofSeconds(60));
			long probeUntil = System.nanoTime() + this.load.toNanos();
			threads.scheduleAtFixedRate(() -> {
				try {
					jdbc.update("INSERT INTO items (name, payload) VALUES (?, ?)", "row", "x".repeat(100));
					long committedAt = System.nanoTime();
					writes.incrementAndGet();
					if (ThreadLocalRandom.current().nextInt(PROBE_EVERY) == 0 && committedAt < probeUntil) {
						pending.add(new Probe(committedAt, tail.position()));
					}
				}
				catch (Exception ex) {
					failures.incrementAndGet();
				}
			}, 0, WRITE_PERIOD_MILLIS, TimeUnit.MILLISECONDS);
			threads.scheduleWithFixedDelay(() -> {
				try {
					long[] position = replica.position();
					long now = System.nanoTime();
					pending.removeIf((probe) -> {
						if (ReplicaPositionProbe.reached(position, probe.target())) {
							commitToReplica.add((now - probe.committedAt()) / 1e6);
							if (Boolean.getBoolean("bench.verbose")) {
								Bench.log("probe %d/%d reached by %d/%d after %.1f ms", probe.target()[0],
										probe.target()[1], position[0], position[1], (now - probe.committedAt()) / 1e6);
							}
							return true;
						}
						return false;
					});
				}
				catch (Exception ex) {
					failures.incrementAndGet();
				}
			}, 0, 5, TimeUnit.MILLISECONDS);
			Thread.sleep(this.load.toMillis());
			long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
			while (!pending.isEmpty() && System.nanoTime() < deadline) {
				Thread.sleep(50);
			}
			long syncUntil = System.nanoTime() + this.syncPhase.toNanos();
			while (System.nanoTime() < syncUntil) {
				// a random phase against litestream's ticks: a call right after the previous one returned would
				// always start just after a tick
				Thread.sleep(ThreadLocalRandom.current().nextLong(0, 1000));
				long started = System.nanoTime();
				dataSource.sync(Duration.ofSeconds(60));
				syncs.add((System.nanoTime() - started) / 1e6);
			}
			threads.shutdownNow();
			threads.awaitTermination(10, TimeUnit.SECONDS);
		}
		finally {
			threads.shutdownNow();
			this.s3.deletePrefix(BenchApps.BUCKET, prefix + "/");
			Bench.deleteRecursively(database.getParent());
		}
		Stats replicated = Stats.of(commitToReplica);
		Stats synced = Stats.of(syncs);
		Bench.log("latency %s: %d writes, %d probes unresolved, %d errors", label, writes.get(), pending.size(),
				failures.get());
		table.row(label, Table.num(replicated.percentile(50)), Table.num(replicated.percentile(99)),
				Table.num(replicated.max()), replicated.count() + (pending.isEmpty() ? "" : " (+" + pending.size()
						+ " not replicated within 30 s)"),
				Table.num(synced.percentile(50)), Table.num(synced.percentile(99)), String.valueOf(synced.count()));
		if (failures.get() > 0) {
			table.note(label + ": " + failures.get() + " writes or probes failed during the load.");
		}
	}

}
