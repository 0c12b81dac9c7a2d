package io.github.s3lite.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import javax.sql.DataSource;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import io.github.s3lite.datasource.ReplicatingDataSource;
import io.github.s3lite.replication.ReplicationStatus;
import io.github.s3lite.test.S3ProxyServer;

/**
 * Both engines side by side in this JVM, at their defaults: {@code sync()} after one commit next to one
 * SDK PUT of the bytes it ships, the shutdown flush after a burst, single-row write throughput with
 * replication on ÷ off, and the WAL high-water mark and replica lag under saturating writers. For
 * development, {@code -Dbench.engines.throughput-only=<engine>} measures only that engine's off/on
 * throughput pairs ({@code runs} of them, or {@code bench.engines.throughput-pairs}) and logs each ratio.
 */
final class EngineComparisonBenchmark {

	static final List<String> ENGINES = List.of("litestream", "native");

	private static final String ROW = "INSERT INTO items (name, payload) VALUES (?, ?)";

	private final S3ProxyServer s3;

	private final ReplicaObjects objects;

	private final Path work;

	private final int runs;

	private final Duration phase;

	EngineComparisonBenchmark(S3ProxyServer s3, ReplicaObjects objects, Path work, int runs, Duration phase) {
		this.s3 = s3;
		this.objects = objects;
		this.work = work;
		this.runs = runs;
		this.phase = phase;
	}

	void measure(Table table) throws Exception {
		String throughputOnly = System.getProperty("bench.engines.throughput-only", "");
		if (!throughputOnly.isBlank()) {
			measureThroughputOnly(throughputOnly);
			return;
		}
		Stats put = putReference(4096 + 24 + 32);
		throughput(null);
		List<Double> offRates = new ArrayList<>();
		for (String engine : ENGINES) {
			Stats sync = syncLatency(engine);
			Stats shutdown = shutdownAfterBurst(engine);
			// off right before on, in the same warm JVM, so that JIT and page cache favour neither
			double offRate = throughput(null);
			offRates.add(offRate);
			double onRate = throughput(engine);
			double[] saturated = saturate(engine);
			table.row(engine, Table.num(sync.median()), Table.num(sync.percentile(99)),
					Table.ratio(sync.median() / put.median()), Table.num(shutdown.median()), Table.num(onRate),
					Table.ratio(onRate / offRate), Table.num(saturated[0]), Table.num(saturated[1]),
					Table.num(saturated[2]));
			Bench.log("engines %s: sync p50 %.1f ms, shutdown %.0f ms, on %.0f rows/s, wal %.0f MiB", engine,
					sync.median(), shutdown.median(), onRate, saturated[0]);
		}
		table.row("reference: SDK PUT of one WAL frame + header (4,152 B); off", Table.num(put.median()),
				Table.num(put.percentile(99)), "1.00×", "",
				offRates.stream().map(Table::num).reduce((a, b) -> a + " / " + b).orElse("") + " (off)", "", "", "", "");
	}

	private void measureThroughputOnly(String engine) throws Exception {
		throughput(null);
		List<Double> ratios = new ArrayList<>();
		int pairs = Integer.getInteger("bench.engines.throughput-pairs", this.runs);
		for (int run = 0; run < pairs; run++) {
			long offAt = System.currentTimeMillis();
			double offRate = throughput(null);
			long onAt = System.currentTimeMillis();
			double onRate = throughput(engine);
			Bench.log("throughput phases (epoch ms): off %d..%d, on %d..%d", offAt, onAt, onAt,
					System.currentTimeMillis());
			ratios.add(onRate / offRate);
			Bench.log("throughput %s run %d: off %.0f rows/s, on %.0f rows/s, on/off %.3f", engine, run, offRate,
					onRate, onRate / offRate);
		}
		Bench.log("throughput %s: median on/off %.3f over %d runs", engine, Stats.of(ratios).median(), pairs);
	}

	private ConfigurableApplicationContext start(String engine, String name) {
		Path database = this.work.resolve("engines").resolve(name + ".sqlite3");
		Map<String, Object> properties = BenchApps.replicated(this.s3.endpoint(), database.toString(),
				(engine != null) ? name : null);
		if (engine != null) {
			properties.put("s3lite.engine", engine);
		}
		return BenchApps.start(properties);
	}

	private static JdbcTemplate jdbc(ConfigurableApplicationContext context) {
		return new JdbcTemplate(context.getBean(DataSource.class));
	}

	private Stats putReference(int bytes) {
		byte[] content = new byte[bytes];
		ThreadLocalRandom.current().nextBytes(content);
		List<Double> samples = new ArrayList<>();
		for (int i = 0; i < this.runs * 3 + 3; i++) {
			long started = System.nanoTime();
			this.objects.put("reference/put-" + i, content);
			if (i >= 3) {
				samples.add((System.nanoTime() - started) / 1e6);
			}
		}
		return Stats.of(samples);
	}

	private Stats syncLatency(String engine) throws Exception {
		List<Double> samples = new ArrayList<>();
		try (ConfigurableApplicationContext context = start(engine, "sync-" + engine)) {
			JdbcTemplate jdbc = jdbc(context);
			ReplicatingDataSource dataSource = context.getBean(ReplicatingDataSource.class);
			dataSource.sync(Duration.ofSeconds(30));
			for (int i = 0; i < this.runs * 3; i++) {
				Thread.sleep(ThreadLocalRandom.current().nextLong(0, 500));
				jdbc.update(ROW, "sync-" + i, "x".repeat(100));
				long started = System.nanoTime();
				dataSource.sync(Duration.ofSeconds(30));
				samples.add((System.nanoTime() - started) / 1e6);
			}
		}
		return Stats.of(samples);
	}

	private Stats shutdownAfterBurst(String engine) throws Exception {
		List<Double> samples = new ArrayList<>();
		for (int run = 0; run < this.runs; run++) {
			ConfigurableApplicationContext context = start(engine, "shutdown-" + engine + "-" + run);
			JdbcTemplate jdbc = jdbc(context);
			for (int i = 0; i < 2000; i++) {
				jdbc.update(ROW, "burst-" + i, "x".repeat(100));
			}
			Thread.sleep(ThreadLocalRandom.current().nextLong(0, 1000));
			long started = System.nanoTime();
			context.close();
			samples.add((System.nanoTime() - started) / 1e6);
		}
		return Stats.of(samples);
	}

	/** Single-row auto-commit inserts from one thread for one phase; rows per second. */
	private double throughput(String engine) throws Exception {
		String name = "throughput-" + ((engine != null) ? engine : "off");
		try (ConfigurableApplicationContext context = start(engine, name)) {
			JdbcTemplate jdbc = jdbc(context);
			long warm = System.nanoTime() + this.phase.toNanos() / 3;
			while (System.nanoTime() < warm) {
				jdbc.update(ROW, "warm", "x".repeat(100));
			}
			long rows = 0;
			long started = System.nanoTime();
			long end = started + this.phase.toNanos();
			while (System.nanoTime() < end) {
				jdbc.update(ROW, "row", "x".repeat(100));
				rows++;
			}
			return rows / ((System.nanoTime() - started) / 1e9);
		}
	}

	/** Two writers that never pause; returns WAL high-water MiB, max lag s, lag MiB at the end. */
	private double[] saturate(String engine) throws Exception {
		String name = "saturate-" + engine;
		Path wal = this.work.resolve("engines").resolve(name + ".sqlite3-wal");
		try (ConfigurableApplicationContext context = start(engine, name)) {
			JdbcTemplate jdbc = jdbc(context);
			ReplicatingDataSource dataSource = context.getBean(ReplicatingDataSource.class);
			AtomicBoolean running = new AtomicBoolean(true);
			List<Thread> writers = new ArrayList<>();
			for (int i = 0; i < 2; i++) {
				Thread writer = new Thread(() -> {
					while (running.get()) {
						try {
							jdbc.update(ROW, "saturating", "x".repeat(500));
						}
						catch (RuntimeException ex) {
							Bench.log("saturating writer (%s): %s", engine, ex.getMessage());
						}
					}
				});
				writer.setDaemon(true);
				writers.add(writer);
				writer.start();
			}
			long maxWal = 0;
			long maxBehind = 0;
			long end = System.nanoTime() + this.phase.toNanos();
			while (System.nanoTime() < end) {
				maxWal = Math.max(maxWal, Files.exists(wal) ? Files.size(wal) : 0);
				ReplicationStatus status = dataSource.status();
				if (!status.inSync() && status.lastSyncTime() != null) {
					maxBehind = Math.max(maxBehind, Duration.between(status.lastSyncTime(), Instant.now()).toMillis());
				}
				Thread.sleep(50);
			}
			running.set(false);
			for (Thread writer : writers) {
				writer.join(30_000);
			}
			double lagMib = dataSource.status().lagBytes() / 1048576.0;
			return new double[] { maxWal / 1048576.0, maxBehind / 1000.0, lagMib };
		}
	}

}
