package io.github.s3lite.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.github.s3lite.test.IndependentRestore;
import io.github.s3lite.test.S3ProxyServer;

/**
 * Cold start, process-level: a new JVM running {@code BenchApplication} timed from process start to ready.
 * With data: restored from an S3Proxy replica, next to the bare {@code litestream restore} CLI on the same
 * replica and plain SDK GETs of the same objects. Without data: s3lite against a plain Spring Boot
 * application with a Hikari SQLite DataSource. Each case starts once unmeasured (warm page cache), then the
 * cases take turns, in a rotating order, so that noise hits all of them.
 */
final class ColdStartBenchmark {

	private static final Pattern RESTORED = Pattern.compile("Restored \\d+ bytes from .* in (\\d+) ms");

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
		String prefix = "cold-" + label.replace(" ", "").toLowerCase(Locale.ROOT);
		Bench.log("cold start %s: seeding the replica", label);
		SeededReplica replica = SeededReplica.create(this.s3, prefix, bytes, this.work.resolve(prefix));
		long replicaBytes = replica.replicaBytes(this.objects);
		List<Double> restores = new ArrayList<>();
		List<Double> contexts = new ArrayList<>();
		Map<String, Callable<Double>> cases = new LinkedHashMap<>();
		cases.put("app", () -> {
			Path dir = this.work.resolve(prefix + "-app");
			Map<String, Object> properties = BenchApps.replicated(this.s3.endpoint(),
					dir.resolve("app.sqlite3").toString(), prefix);
			properties.put("bench.count-table", "items");
			properties.put("s3lite.shutdown-sync-timeout", "30m");
			properties.put("s3lite.litestream.shutdown-timeout", "30m");
			AppProcess.Result result = AppProcess.run(properties);
			replica.resetToSeed(this.s3);
			Bench.deleteRecursively(dir);
			if (result.rows() != replica.rows()) {
				throw new IllegalStateException("The application restored " + result.rows() + " rows, expected "
						+ replica.rows() + ":\n" + result.output());
			}
			Matcher restored = RESTORED.matcher(result.output());
			restores.add(restored.find() ? Double.parseDouble(restored.group(1)) : Double.NaN);
			contexts.add(result.contextMillis());
			return result.readyMillis();
		});
		cases.put("cli", () -> {
			Path dir = this.work.resolve(prefix + "-cli");
			Files.createDirectories(dir);
			long started = System.nanoTime();
			Path restored = IndependentRestore.fromS3(this.s3, BenchApps.BUCKET, prefix, dir.resolve("cli.sqlite3"));
			double elapsed = (System.nanoTime() - started) / 1e6;
			if (restored == null || IndependentRestore.count(restored, "items") != replica.rows()) {
				throw new IllegalStateException("litestream restore did not restore " + prefix);
			}
			Bench.deleteRecursively(dir);
			return elapsed;
		});
		cases.put("get", () -> {
			Path dir = this.work.resolve(prefix + "-get");
			long started = System.nanoTime();
			long downloaded = this.objects.download(replica.keys(), dir);
			double elapsed = (System.nanoTime() - started) / 1e6;
			Bench.deleteRecursively(dir);
			if (downloaded != replicaBytes) {
				throw new IllegalStateException("Downloaded " + downloaded + " bytes, expected " + replicaBytes);
			}
			return elapsed;
		});
		Map<String, List<Double>> samples = rotate(cases, "cold start " + label, this.runs);
		restores.remove(0);
		contexts.remove(0);
		this.s3.deletePrefix(BenchApps.BUCKET, prefix + "/");
		Stats app = Stats.of(samples.get("app"));
		Stats cli = Stats.of(samples.get("cli"));
		Stats get = Stats.of(samples.get("get"));
		String size = label + " (" + Table.num(replica.databaseBytes() / 1048576.0) + " MiB db, "
				+ Table.num(replicaBytes / 1048576.0) + " MiB in S3)";
		table.row(size, "s3lite app: process start → ready", Table.stats(app), "", "");
		table.row(size, "… of which Spring Boot's \"Started … in\" (context refresh)", Table.stats(Stats.of(contexts)),
				"", "");
		table.row(size, "… of which the restore (s3lite's log)", Table.stats(Stats.of(restores)), "", "");
		table.row(size, "`litestream restore` CLI", Table.stats(cli), Table.ratio(app.median() / cli.median()), "");
		table.row(size, "AWS SDK v2 GET of the same objects", Table.stats(get), "",
				Table.ratio(app.median() / get.median()));
	}

	/**
	 * Startup overhead on an empty replica (first deploy) and without any replica, against a plain Spring
	 * Boot application with a Hikari SQLite DataSource; twice as many runs, as these starts are short and
	 * the differences small.
	 * @param table the table to fill
	 */
	void measureOverhead(Table table) throws Exception {
		Map<String, Callable<Double>> cases = new LinkedHashMap<>();
		Map<String, List<Double>> contexts = new LinkedHashMap<>();
		int[] start = { 0 };
		cases.put("plain", () -> {
			Path dir = this.work.resolve("plain-" + start[0]++);
			Files.createDirectories(dir);
			AppProcess.Result result = AppProcess.run(Map.of("s3lite.enabled", "false", "spring.datasource.url",
					"jdbc:sqlite:" + dir.resolve("plain.sqlite3")));
			Bench.deleteRecursively(dir);
			return record(contexts, "plain", result);
		});
		cases.put("local", () -> {
			Path dir = this.work.resolve("local-" + start[0]++);
			String database = dir.resolve("local.sqlite3").toString();
			AppProcess.Result result = AppProcess.run(BenchApps.replicated(this.s3.endpoint(), database, null));
			Bench.deleteRecursively(dir);
			return record(contexts, "local", result);
		});
		cases.put("empty", () -> {
			Path dir = this.work.resolve("empty-" + start[0]++);
			String prefix = "empty-" + start[0];
			String database = dir.resolve("empty.sqlite3").toString();
			AppProcess.Result result = AppProcess.run(BenchApps.replicated(this.s3.endpoint(), database, prefix));
			this.s3.deletePrefix(BenchApps.BUCKET, prefix + "/");
			Bench.deleteRecursively(dir);
			return record(contexts, "empty", result);
		});
		Map<String, List<Double>> samples = rotate(cases, "startup", 2 * this.runs);
		Stats plain = Stats.of(samples.get("plain"));
		String[][] rows = { { "plain", "plain Spring Boot + Hikari SQLite DataSource (s3lite.enabled=false)" },
				{ "local", "s3lite, local file only (no restore-from/backup-to)" },
				{ "empty", "s3lite, empty S3 replica (first deploy: restore no-op + litestream started)" } };
		for (String[] row : rows) {
			Stats ready = Stats.of(samples.get(row[0]));
			List<Double> context = contexts.get(row[0]);
			Stats refresh = Stats.of(context.subList(1, context.size()));
			table.row(row[1], Table.stats(ready), Table.ratio(ready.median() / plain.median()),
					row[0].equals("plain") ? "" : Table.num(ready.median() - plain.median()),
					Table.stats(refresh));
		}
	}

	private static double record(Map<String, List<Double>> contexts, String name, AppProcess.Result result) {
		contexts.computeIfAbsent(name, (key) -> new ArrayList<>()).add(result.contextMillis());
		return result.readyMillis();
	}

	/**
	 * Run every case once unmeasured, then {@code runs} times each, the order rotating from run to run.
	 */
	static Map<String, List<Double>> rotate(Map<String, Callable<Double>> cases, String label, int runs)
			throws Exception {
		List<String> names = new ArrayList<>(cases.keySet());
		Map<String, List<Double>> samples = new LinkedHashMap<>();
		for (String name : names) {
			cases.get(name).call();
			samples.put(name, new ArrayList<>());
		}
		for (int run = 0; run < runs; run++) {
			StringBuilder line = new StringBuilder();
			for (int i = 0; i < names.size(); i++) {
				String name = names.get((run + i) % names.size());
				double millis = cases.get(name).call();
				samples.get(name).add(millis);
				line.append(String.format(Locale.ROOT, " %s %.0f ms", name, millis));
			}
			Bench.log("%s run %d:%s", label, run + 1, line);
		}
		return samples;
	}

}
