package io.github.s3lite.bench;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import io.github.s3lite.datasource.ReplicatingDataSource;
import io.github.s3lite.test.S3ProxyServer;

/**
 * Durable commits ({@code s3lite.durable-commits=true}, native engine) against async commits (the native
 * engine's background upload every second): the latency of one writer's commits next to one SDK PUT of
 * one WAL frame, then throughput and uploads per commit with 1, 4 and 16 writers.
 */
final class DurableCommitBenchmark {

	private static final int FRAME_BYTES = 32 + 4096 + 24;

	private final S3ProxyServer s3;

	private final ReplicaObjects objects;

	private final Path work;

	private final int latencySamples;

	private final Duration throughputWindow;

	private int prefixes;

	DurableCommitBenchmark(S3ProxyServer s3, ReplicaObjects objects, Path work, int latencySamples,
			Duration throughputWindow) {
		this.s3 = s3;
		this.objects = objects;
		this.work = work;
		this.latencySamples = latencySamples;
		this.throughputWindow = throughputWindow;
	}

	/** Latency of sequential SDK PUTs of one WAL frame, in ms. */
	Stats putLatency() {
		byte[] frame = new byte[FRAME_BYTES];
		ThreadLocalRandom.current().nextBytes(frame);
		for (int i = 0; i < 20; i++) {
			this.objects.put("put-warm-up/" + i, frame);
		}
		List<Double> samples = new ArrayList<>();
		for (int i = 0; i < this.latencySamples; i++) {
			long start = System.nanoTime();
			this.objects.put("put-baseline/" + i, frame);
			samples.add((System.nanoTime() - start) / 1e6);
		}
		return Stats.of(samples);
	}

	/** Latency of one writer's single-row auto-commit inserts, in ms. */
	Stats commitLatency(boolean durable) throws Exception {
		try (ConfigurableApplicationContext context = start(durable, 1)) {
			JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
			for (int i = 0; i < 20; i++) {
				insert(jdbc);
			}
			List<Double> samples = new ArrayList<>();
			for (int i = 0; i < this.latencySamples; i++) {
				long start = System.nanoTime();
				insert(jdbc);
				samples.add((System.nanoTime() - start) / 1e6);
			}
			return Stats.of(samples);
		}
	}

	/**
	 * Run writers for the window.
	 * @return commits/s and upload rounds per commit
	 */
	double[] throughput(boolean durable, int writers) throws Exception {
		try (ConfigurableApplicationContext context = start(durable, writers)) {
			JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
			ReplicatingDataSource dataSource = context.getBean(ReplicatingDataSource.class);
			insert(jdbc);
			dataSource.sync(Duration.ofSeconds(30));
			long uploadsBefore = dataSource.status().syncCount();
			long deadline = System.nanoTime() + this.throughputWindow.toNanos();
			ExecutorService pool = Executors.newFixedThreadPool(writers);
			long started = System.nanoTime();
			long commits = 0;
			try {
				List<Future<Long>> counts = new ArrayList<>();
				for (int w = 0; w < writers; w++) {
					counts.add(pool.submit(() -> {
						long n = 0;
						while (System.nanoTime() - deadline < 0) {
							insert(jdbc);
							n++;
						}
						return n;
					}));
				}
				for (Future<Long> count : counts) {
					commits += count.get();
				}
			}
			finally {
				pool.shutdownNow();
			}
			double seconds = (System.nanoTime() - started) / 1e9;
			long uploads = dataSource.status().syncCount() - uploadsBefore;
			return new double[] { commits / seconds, (double) uploads / commits };
		}
	}

	private ConfigurableApplicationContext start(boolean durable, int writers) {
		String prefix = "durable-bench-" + (++this.prefixes);
		Map<String, Object> properties = BenchApps.replicated(this.s3.endpoint(),
				this.work.resolve(prefix + ".sqlite3").toString(), prefix);
		properties.put("s3lite.engine", "native");
		properties.put("s3lite.durable-commits", String.valueOf(durable));
		properties.put("spring.datasource.hikari.maximum-pool-size", String.valueOf(Math.max(10, writers)));
		return BenchApps.start(properties);
	}

	private static void insert(JdbcTemplate jdbc) {
		jdbc.update("INSERT INTO items (name, payload) VALUES ('durable', 'x')");
	}

}
