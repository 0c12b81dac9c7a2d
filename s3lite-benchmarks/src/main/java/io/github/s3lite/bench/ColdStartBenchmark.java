package io.github.s3lite.bench;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.github.s3lite.test.IndependentRestore;
import io.github.s3lite.test.S3ProxyServer;

/**
 * Cold start with a restore, process-level: a new JVM running {@code BenchApplication} restored from an
 * S3Proxy replica, timed from process start to ready; next to the bare {@code litestream restore} CLI on the
 * same replica and plain SDK GETs of the same objects. Runs are interleaved so that noise hits all three.
 */
final class ColdStartBenchmark {

	private final S3ProxyServer s3;

	private final ReplicaObjects objects;

	private final Path work;

	private final int runs;

	ColdStartBenchmark(S3ProxyServer s3, ReplicaObjects objects, Path work, int runs) {
		this.s3 = s3;
		this.objects = objects;
		this.work = work;
		this.runs = runs;
	}

	/**
	 * Measure one database size and add its rows to the table.
	 * @param label e.g. "100 MB"
	 * @param bytes the database size to seed
	 * @param table the table to fill
	 */
	void measure(String label, long bytes, Table table) throws Exception {
		String prefix = "cold-" + label.replace(" ", "").toLowerCase(java.util.Locale.ROOT);
		Bench.log("cold start %s: seeding the replica", label);
		SeededReplica replica = SeededReplica.create(this.s3, prefix, bytes, this.work.resolve(prefix));
		long replicaBytes = replica.replicaBytes(this.objects);
		this.objects.download(replica.keys(), this.work.resolve(prefix + "-warmup"));
		List<Double> app = new ArrayList<>();
		List<Double> cli = new ArrayList<>();
		List<Double> get = new ArrayList<>();
		for (int run = 0; run < this.runs; run++) {
			Path dir = this.work.resolve(prefix + "-run" + run);
			Map<String, Object> properties = BenchApps.replicated(this.s3.endpoint(),
					dir.resolve("app.sqlite3").toString(), prefix);
			properties.put("bench.count-table", "items");
			properties.put("s3lite.litestream.shutdown-sync-timeout", "30m");
			properties.put("s3lite.litestream.shutdown-timeout", "30m");
			AppProcess.Result result = AppProcess.run(properties);
			if (result.rows() != replica.rows()) {
				throw new IllegalStateException("The application restored " + result.rows() + " rows, expected "
						+ replica.rows() + ":\n" + result.output());
			}
			app.add(result.readyMillis());
			replica.deleteOtherGenerations(this.s3);

			long started = System.nanoTime();
			Path restored = IndependentRestore.fromS3(this.s3, BenchApps.BUCKET, prefix, dir.resolve("cli.sqlite3"));
			cli.add((System.nanoTime() - started) / 1e6);
			if (restored == null) {
				throw new IllegalStateException("litestream restore found no replica under " + prefix);
			}

			started = System.nanoTime();
			long downloaded = this.objects.download(replica.keys(), dir.resolve("get"));
			get.add((System.nanoTime() - started) / 1e6);
			if (downloaded != replicaBytes) {
				throw new IllegalStateException("Downloaded " + downloaded + " bytes, expected " + replicaBytes);
			}
			Bench.deleteRecursively(dir);
			Bench.log("cold start %s run %d: app %.0f ms, litestream restore %.0f ms, SDK GET %.0f ms", label, run + 1,
					app.get(run), cli.get(run), get.get(run));
		}
		Stats appStats = Stats.of(app);
		Stats cliStats = Stats.of(cli);
		Stats getStats = Stats.of(get);
		String size = label + " (" + Table.num(replica.databaseBytes() / 1048576.0) + " MiB db, "
				+ Table.num(replicaBytes / 1048576.0) + " MiB replica)";
		table.row(size, "s3lite app: process start → ready", Table.stats(appStats), "", "");
		table.row(size, "`litestream restore` CLI", Table.stats(cliStats), Table.ratio(appStats.median() / cliStats.median()),
				"");
		table.row(size, "AWS SDK v2 GET of the replica's objects", Table.stats(getStats), "",
				Table.ratio(appStats.median() / getStats.median()));
		Bench.deleteRecursively(this.work.resolve(prefix + "-warmup"));
		this.s3.deletePrefix(BenchApps.BUCKET, prefix + "/");
	}

	/**
	 * Startup overhead on an empty replica (first deploy) and without any replica, against a plain Spring
	 * Boot application with a Hikari SQLite DataSource and the same table.
	 * @param table the table to fill
	 */
	void measureOverhead(Table table) throws Exception {
		List<Double> plain = new ArrayList<>();
		List<Double> local = new ArrayList<>();
		List<Double> empty = new ArrayList<>();
		for (int run = 0; run < this.runs; run++) {
			Path dir = this.work.resolve("overhead-run" + run);
			Map<String, Object> properties = Map.of("s3lite.enabled", "false", "spring.datasource.url",
					"jdbc:sqlite:" + dir.resolve("plain.sqlite3"), "spring.sql.init.mode", "never");
			java.nio.file.Files.createDirectories(dir);
			plain.add(AppProcess.run(properties).readyMillis());
			local.add(AppProcess.run(BenchApps.replicated(this.s3.endpoint(), dir.resolve("local.sqlite3").toString(),
					null)).readyMillis());
			String prefix = "empty-run" + run;
			empty.add(AppProcess.run(BenchApps.replicated(this.s3.endpoint(), dir.resolve("empty.sqlite3").toString(),
					prefix)).readyMillis());
			this.s3.deletePrefix(BenchApps.BUCKET, prefix + "/");
			Bench.deleteRecursively(dir);
			Bench.log("startup run %d: plain %.0f ms, s3lite local %.0f ms, s3lite empty replica %.0f ms", run + 1,
					plain.get(run), local.get(run), empty.get(run));
		}
		Stats plainStats = Stats.of(plain);
		Stats localStats = Stats.of(local);
		Stats emptyStats = Stats.of(empty);
		table.row("plain Spring Boot + Hikari SQLite DataSource (s3lite.enabled=false)", Table.stats(plainStats), "1.00×", "");
		table.row("s3lite, local file only (no restore-from/backup-to)", Table.stats(localStats),
				Table.ratio(localStats.median() / plainStats.median()),
				Table.num(localStats.median() - plainStats.median()));
		table.row("s3lite, empty S3 replica (first deploy: restore no-op + litestream started)", Table.stats(emptyStats),
				Table.ratio(emptyStats.median() / plainStats.median()),
				Table.num(emptyStats.median() - plainStats.median()));
	}

}
