package io.github.s3lite.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import io.github.s3lite.test.IndependentRestore;
import io.github.s3lite.test.S3ProxyServer;

/**
 * Graceful shutdown right after a burst of writes, in this JVM: the duration of {@code context.close()}
 * (the final flush to the replica, closing the pool, stopping litestream) with default settings, next to
 * the same close without replication. Each replicated run is checked afterwards with an independent
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

	void measure(Table table) throws Exception {
		List<Double> replicated = new ArrayList<>();
		List<Double> local = new ArrayList<>();
		for (int run = 0; run < this.runs; run++) {
			Path dir = this.work.resolve("shutdown-run" + run);
			String prefix = "shutdown-run" + run;
			replicated.add(closeAfterBurst(dir.resolve("replicated.sqlite3"), prefix));
			Path restored = IndependentRestore.fromS3(this.s3, BenchApps.BUCKET, prefix, dir.resolve("check.sqlite3"));
			long rows = (restored != null) ? IndependentRestore.count(restored, "items") : 0;
			if (rows != this.burst) {
				throw new IllegalStateException("The replica holds " + rows + " rows after a graceful shutdown, expected "
						+ this.burst);
			}
			local.add(closeAfterBurst(dir.resolve("local.sqlite3"), null));
			this.s3.deletePrefix(BenchApps.BUCKET, prefix + "/");
			Bench.deleteRecursively(dir);
			Bench.log("shutdown run %d: replicated %.0f ms, local %.0f ms", run + 1, replicated.get(run), local.get(run));
		}
		Stats on = Stats.of(replicated);
		Stats off = Stats.of(local);
		table.row("replication on (default intervals); replica verified to hold all rows", Table.stats(on),
				Table.num(on.median() - off.median()));
		table.row("replication off (same DataSource, no backup-to)", Table.stats(off), "");
	}

	private double closeAfterBurst(Path database, String prefix) {
		Map<String, Object> properties = BenchApps.replicated(this.s3.endpoint(), database.toString(), prefix);
		ConfigurableApplicationContext context = BenchApps.start(properties);
		JdbcTemplate jdbc = new JdbcTemplate(context.getBean(javax.sql.DataSource.class));
		for (int i = 0; i < this.burst; i++) {
			jdbc.update("INSERT INTO items (name, payload) VALUES (?, ?)", "row-" + i, "x".repeat(100));
		}
		long started = System.nanoTime();
		context.close();
		return (System.nanoTime() - started) / 1e6;
	}

}
