package io.github.s3lite.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ThreadLocalRandom;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import io.github.s3lite.test.IndependentRestore;
import io.github.s3lite.test.S3ProxyServer;

/**
 * Graceful shutdown after a burst of writes, in this JVM: the duration of {@code context.close()} (the
 * final flush to the replica, closing the pool, stopping litestream) with default and with tuned intervals,
 * next to the same close without replication. The close comes after a random pause of up to a second, a
 * random phase against litestream's ticks. Each replicated run is checked afterwards with an independent
 * restore that must hold every row.
 */
final class ShutdownBenchmark {

	private final S3ProxyServer s3;

	private final Path work;

	private final int runs;

	private final int burst;

	ShutdownBenchmark(S3ProxyServer s3, Path work, int runs, int burst) {
		this.s3 = s3;
		this.work = work;
		this.runs = runs;
		this.burst = burst;
	}

	void measure(Map<String, Object> tuning, Table table) throws Exception {
		List<Double> replicated = new ArrayList<>();
		List<Double> tuned = new ArrayList<>();
		List<Double> local = new ArrayList<>();
		for (int run = 0; run < this.runs; run++) {
			Path dir = this.work.resolve("shutdown-run" + run);
			replicated.add(closeAfterBurst(dir, "shutdown-default-" + run, Map.of()));
			tuned.add(closeAfterBurst(dir, "shutdown-tuned-" + run, tuning));
			local.add(closeAfterBurst(dir, null, Map.of()));
			Bench.deleteRecursively(dir);
			Bench.log("shutdown run %d: default %.0f ms, tuned %.0f ms, no replication %.0f ms", run + 1,
					replicated.get(run), tuned.get(run), local.get(run));
		}
		Stats off = Stats.of(local);
		for (List<Double> samples : List.of(replicated, tuned)) {
			Stats on = Stats.of(samples);
			table.row((samples == replicated) ? "replication on, default intervals (1s)"
					: "replication on, monitor-interval and sync-interval 100ms", Table.stats(on),
					Table.num(on.median() - off.median()));
		}
		table.row("replication off (same DataSource, no backup-to)", Table.stats(off), "");
	}

	private double closeAfterBurst(Path dir, String prefix, Map<String, Object> tuning) {
		Path database = dir.resolve(((prefix != null) ? prefix : "local") + ".sqlite3");
		Map<String, Object> properties = BenchApps.replicated(this.s3.endpoint(), database.toString(), prefix);
		properties.putAll(tuning);
		ConfigurableApplicationContext context = BenchApps.start(properties);
		JdbcTemplate jdbc = new JdbcTemplate(context.getBean(javax.sql.DataSource.class));
		for (int i = 0; i < this.burst; i++) {
			jdbc.update("INSERT INTO items (name, payload) VALUES (?, ?)", "row-" + i, "x".repeat(100));
		}
		// shut down at a random moment against litestream's ticks, as a deployment would
		sleep(ThreadLocalRandom.current().nextLong(0, 1000));
		long started = System.nanoTime();
		context.close();
		double elapsed = (System.nanoTime() - started) / 1e6;
		if (prefix != null) {
			Path check = dir.resolve(prefix + "-check");
			Path restored = IndependentRestore.fromS3(this.s3, BenchApps.BUCKET, prefix, check);
			long rows = (restored != null) ? IndependentRestore.count(restored, "items") : 0;
			if (rows != this.burst) {
				throw new IllegalStateException(
						"The replica holds " + rows + " rows after a graceful shutdown, expected " + this.burst);
			}
			this.s3.deletePrefix(BenchApps.BUCKET, prefix + "/");
		}
		return elapsed;
	}

	private static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

}
