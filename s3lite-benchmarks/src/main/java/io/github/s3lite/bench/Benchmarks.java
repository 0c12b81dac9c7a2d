package io.github.s3lite.bench;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.github.s3lite.test.S3ProxyServer;

/**
 * Runs every benchmark in one go against one in-process S3Proxy and the bundled litestream, prints the
 * tables and writes {@code BENCHMARKS.md}. System properties: {@code bench.runs} (repetitions, default 7),
 * {@code bench.large} (add the 1 GB cold start), {@code bench.quick} (tiny sizes for a smoke run),
 * {@code bench.output} (the Markdown file), {@code bench.only} (a comma-separated subset of cold, restore, startup,
 * write, latency, shutdown, engines, engine-costs, durable, followers, follower-requests; for development).
 */
public final class Benchmarks {

	static final String COMMAND = "mvn -B -Pbench -pl s3lite-benchmarks -am verify -DskipTests";

	/** The command when the sample app's cold start is measured: the sample app's jar is built too. */
	static final String SAMPLE_COMMAND = "mvn -B -Pbench -pl s3lite-sample-app,s3lite-benchmarks -am verify -DskipTests";

	private static final Map<String, Object> TUNED = Map.of("s3lite.litestream.monitor-interval", "100ms",
			"s3lite.litestream.sync-interval", "100ms");

	private Benchmarks() {
	}

	public static void main(String[] args) throws Exception {
		boolean quick = Boolean.getBoolean("bench.quick");
		boolean large = Boolean.getBoolean("bench.large");
		int runs = quick ? 2 : Integer.getInteger("bench.runs", 7);
		Path output = Path.of(System.getProperty("bench.output", "BENCHMARKS.md")).toAbsolutePath().normalize();
		Path work = Files.createTempDirectory("s3lite-bench");
		Instant started = Instant.now();
		String loadBefore = Machine.load();
		List<Table> tables = new ArrayList<>();
		try (S3ProxyServer s3 = S3ProxyServer.start(); ReplicaObjects objects = new ReplicaObjects(s3)) {
			s3.createBucket(BenchApps.BUCKET);
			Run run = new Run(s3, objects, work, runs, quick, large);
			if (selected("cold")) {
				tables.add(coldStart(run));
			}
			if (selected("restore")) {
				tables.add(restore(run));
			}
			if (selected("startup")) {
				tables.add(startup(run));
			}
			if (selected("sample")) {
				tables.add(sampleApp(run));
			}
			if (selected("write")) {
				tables.addAll(writes(run));
			}
			if (selected("latency")) {
				tables.add(latency(run));
			}
			if (selected("shutdown")) {
				tables.add(shutdown(run));
			}
			if (selected("engines")) {
				tables.add(engines(run));
			}
			if (selected("engine-costs")) {
				tables.add(engineCosts(run));
			}
			if (selected("durable")) {
				tables.addAll(durable(run));
			}
			if (selected("followers")) {
				tables.add(followers(run));
			}
			if (selected("follower-requests")) {
				tables.add(followerRequests(run));
			}
		}
		finally {
			Bench.deleteRecursively(work);
		}
		Instant finished = Instant.now();
		StringBuilder text = new StringBuilder();
		for (Table table : tables) {
			text.append(table.text()).append('\n');
		}
		System.out.println();
		System.out.println(text);
		String markdown = markdown(tables, started, finished, loadBefore, output.getParent(), quick, large, runs);
		if (!System.getProperty("bench.only", "").isBlank() && Files.exists(output)) {
			markdown = MarkdownSections.merge(Files.readString(output, StandardCharsets.UTF_8), markdown);
		}
		Files.writeString(output, markdown, StandardCharsets.UTF_8);
		Bench.log("wrote %s", output);
		System.exit(0);
	}

	private record Run(S3ProxyServer s3, ReplicaObjects objects, Path work, int runs, boolean quick, boolean large) {

		ColdStartBenchmark coldStart() {
			return new ColdStartBenchmark(this.s3, this.objects, this.work, this.runs);
		}

	}

	private static Table coldStart(Run run) throws Exception {
		Table table = new Table("1. Cold start with a restore from S3 (process start → ready)", "Database", "Path",
				"ms: median (min–max, n)", "s3lite ÷ CLI", "s3lite ÷ GET")
			.textColumns(2);
		ColdStartBenchmark benchmark = run.coldStart();
		if (run.quick()) {
			benchmark.measure("2 MB", 2L << 20, table);
		}
		else {
			benchmark.measure("10 MB", 10L << 20, table);
			benchmark.measure("100 MB", 100L << 20, table);
			if (run.large()) {
				benchmark.measure("1 GB", 1L << 30, table);
			}
		}
		table.note("s3lite app: a new JVM running a minimal Spring Boot application with the starter "
				+ "(`restore-from` = `backup-to` = the replica), timed from `ProcessBuilder.start()` to the line "
				+ "it prints on `ApplicationReadyEvent` after one query; includes JVM start, context refresh, the "
				+ "restore (`litestream restore` as a child process), starting `litestream replicate` and "
				+ "migrations. The restore share comes from s3lite's own log line (\"Restored N bytes … in T ms\").");
		table.note("`litestream restore` CLI: the bare binary on the same replica, as a process, into a new file.");
		table.note("GET: AWS SDK v2 (`S3Client`, path-style, URL-connection HTTP client) downloading the same "
				+ "objects (snapshot + WAL segments) to files, in the already warm benchmark JVM: the floor for "
				+ "moving those bytes, with no process start.");
		if (!run.large() && !run.quick()) {
			table.note("1 GB is opt-in: add `-Dbench.large=true`.");
		}
		return table;
	}

	private static Table restore(Run run) throws Exception {
		Table table = new Table("12. Restore alone: s3lite's native restore vs the litestream CLI", "Replica", "Restore",
				"ms: median (min–max, n)", "÷ CLI", "÷ GET")
			.textColumns(2);
		RestoreBenchmark benchmark = new RestoreBenchmark(run.s3(), run.objects(), run.work(), Math.max(3, run.runs()));
		if (run.quick()) {
			benchmark.measure("2 MB", 2L << 20, table);
		}
		else {
			benchmark.measure("100 MB", 100L << 20, table);
			if (run.large()) {
				benchmark.measure("1 GB", 1L << 30, table);
			}
		}
		table.note("One replica per size, written by `litestream replicate` (s3lite with `s3lite.engine=litestream`): "
				+ "one generation, its snapshot and WAL segments. Native: `ReplicaRestorer` with the native engine in "
				+ "this warm JVM, as an application's startup restore runs it whichever engine replicates (staging "
				+ "file, parallel downloads decoded while downloading, WAL applied once, `PRAGMA quick_check`, move "
				+ "into place). CLI: the bundled `litestream restore` v0.3.13 as a process, into a new file. GET: AWS "
				+ "SDK v2 `GetObject` of the snapshot object alone, to a file, in this JVM: the floor for moving "
				+ "the bulk of the bytes, without decoding. Every restored database is checked (row count).");
		if (!run.large() && !run.quick()) {
			table.note("1 GB is opt-in: add `-Dbench.large=true`.");
		}
		return table;
	}

	private static Table startup(Run run) throws Exception {
		Table table = new Table("2. Startup overhead without data (process start → ready)", "Application",
				"ms: median (min–max, n)", "÷ plain", "+ ms vs plain", "of which \"Started … in\" ms");
		run.coldStart().measureOverhead(table);
		table.note("Same minimal application and classpath in every row; plain = `s3lite.enabled=false` and "
				+ "`spring.datasource.url=jdbc:sqlite:…` (Boot's Hikari DataSource); every row answers the same "
				+ "query before it reports ready. \"Started … in\" is Spring Boot's own figure for the context "
				+ "refresh; the rest is JVM start, logging set-up and the first query.");
		return table;
	}

	private static Table sampleApp(Run run) throws Exception {
		Table table = new Table("11. Cold start of the packaged sample app, with start-up accelerators", "JVM",
				"Replica", "ready ms: median (min–max, n)", "÷ empty", "first HTTP 200 ms: median (min–max, n)",
				"÷ empty", "ready ÷ Java 17 empty", "restore ms (s3lite's log)")
			.textColumns(2);
		Map<String, Long> sizes = new LinkedHashMap<>();
		if (run.quick()) {
			sizes.put("2 MB", 2L << 20);
		}
		else {
			sizes.put("100 MB", 100L << 20);
			if (run.large()) {
				sizes.put("1 GB", 1L << 30);
			}
		}
		Path jar = Path.of(System.getProperty("bench.sample-jar", "s3lite-sample-app/target/app.jar"));
		Path java25 = Path.of(System.getProperty("bench.java25", "/usr/lib/jvm/temurin-25-jdk-amd64/bin/java"));
		new SampleAppColdStartBenchmark(run.s3(), run.work(), run.runs(), jar, java25).measure(sizes, table);
		table.note("The sample app (Tomcat, actuator, s3lite with `restore-from` = `backup-to` = the replica) as "
				+ "containers run it: `java -Djarmode=tools -jar s3lite-sample-app.jar extract`, then "
				+ "`java [options] -jar s3lite-sample-app-<version>.jar` from the extracted directory. Ready: from "
				+ "`ProcessBuilder.start()` to Spring Boot's \"Started NotesApplication in\" line; first HTTP 200: "
				+ "to the first 200 answer of `GET /api/notes` (a read of the database), polled every 5 ms. The "
				+ "restore runs in the background from the bean-factory post-processing stage on; \"restore ms\" is "
				+ "its own time from s3lite's log. ÷ empty: against the same JVM on an empty replica (first "
				+ "deploy); ready ÷ Java 17 empty: against the first row.");
		table.note("CDS archive: made once by a training run `java -XX:ArchiveClassesAtExit=app.jsa "
				+ "-Dspring.context.exit=onRefresh -jar …`, used with `-XX:SharedArchiveFile=app.jsa`. AOT cache "
				+ "(JEP 483/514): `java -XX:AOTCacheOutput=app.aot -Dspring.context.exit=onRefresh -jar …`, used with "
				+ "`-XX:AOTCache=app.aot`. s3lite recognises the training runs: no restore, no replication, a "
				+ "throwaway database.");
		if (!run.large() && !run.quick()) {
			table.note("1 GB is opt-in: add `-Dbench.large=true`.");
		}
		return table;
	}

	private static List<Table> writes(Run run) throws Exception {
		Table writes = new Table("3. Write throughput through JdbcTemplate (JMH)", "Workload",
				"rows/s, off: median (min–max, n)", "rows/s, off + wal_autocheckpoint=0", "rows/s, replication on",
				"on ÷ off", "on ÷ off + autocheckpoint=0");
		Table memory = new Table("4. Peak RSS during the write benchmark", "JMH fork (workload, replication)",
				"JVM VmHWM (MiB)", "litestream VmHWM (MiB)", "-wal file at the end (MiB)", "litestream sync errors",
				"replica lag at the end (MiB)");
		new WriteThroughputRunner(run.s3(), run.work().resolve("jmh"), run.quick()).measure(writes, memory);
		writes.note("JMH 1.37, one fork per case, throughput mode, one writer thread; n = measurement iterations of "
				+ (run.quick() ? "1 s" : "3 s") + " after " + (run.quick() ? "1" : "2") + " warm-up iterations. "
				+ "Replication on: `backup-to` an S3Proxy replica (S3Proxy runs in the parent JVM, not in the fork; "
				+ "litestream is a child of the fork). Off: the same s3lite DataSource and pragmas (WAL, "
				+ "synchronous=NORMAL, busy_timeout, foreign_keys, BEGIN IMMEDIATE) without `backup-to`, where "
				+ "SQLite's WAL auto-checkpoint stays on; off + wal_autocheckpoint=0 has exactly the pragmas of "
				+ "\"on\" (litestream owns checkpoints when it replicates).");
		memory.note("VmHWM from /proc/<pid>/status at the end of each JMH trial (warm-up + measurement): the "
				+ "fork's JVM (default heap settings, so mostly a matter of GC sizing) and the litestream child "
				+ "(`ReplicatingDataSource.status().details().get(\"pid\")`); at the same moment the -wal file size (its "
				+ "high-water mark), `status().syncErrorCount()` and `status().lagBytes()`.");
		return List.of(writes, memory);
	}

	private static Table latency(Run run) throws Exception {
		Table table = new Table("5. Replication latency under a steady write load (100 single-row commits/s)",
				"Settings", "commit → replica p50 ms", "p99 ms", "max ms", "n", "sync() p50 ms", "sync() p99 ms",
				"n");
		ReplicationLatencyBenchmark benchmark = new ReplicationLatencyBenchmark(run.s3(), run.work(),
				Duration.ofSeconds(run.quick() ? 8 : 30), Duration.ofSeconds(run.quick() ? 4 : 30));
		benchmark.measure("default (monitor-interval 1s, sync-interval 1s)", Map.of(), table);
		benchmark.measure("tuned (monitor-interval 100ms, sync-interval 100ms)", TUNED, table);
		table.note("commit → replica: for one commit in 20 (picked at random), the end of its last WAL frame is "
				+ "mapped to litestream's (WAL index, offset); the time until litestream's metrics report the "
				+ "replica at or past it (polled every 5 ms). sync(): `ReplicatingDataSource.sync()` called at "
				+ "random moments (0–1 s apart) under the same load; it waits for two litestream syncs, then for the "
				+ "replica.");
		return table;
	}

	private static Table shutdown(Run run) throws Exception {
		Table table = new Table("6. Graceful shutdown after a burst of writes", "Case",
				"context close ms: median (min–max, n)", "+ ms for replication");
		int burst = run.quick() ? 200 : 2000;
		new ShutdownBenchmark(run.s3(), run.work(), run.runs(), burst).measure(TUNED, table);
		table.note("Burst: " + burst + " single-row transactions, then, after a random 0–1 s pause (a random phase "
				+ "against litestream's ticks), `context.close()`: the final flush "
				+ "(`ReplicationShutdownFlush`, a bounded `sync()`), closing the pool, SIGTERM to litestream and its "
				+ "own last upload.");
		return table;
	}

	private static Table engines(Run run) throws Exception {
		Table timing = new Table("7. Engines side by side (litestream child process vs native, both at their defaults)",
				"Engine", "sync() p50 ms", "sync() p99 ms", "sync() p50 ÷ PUT p50", "shutdown after 2,000-row burst, "
						+ "median ms", "rows/s, on", "on ÷ off", "saturating: WAL high-water MiB",
				"saturating: max replica lag s", "saturating: lag at the end MiB");
		int samples = run.quick() ? 2 : 3;
		Duration phase = Duration.ofSeconds(run.quick() ? 4 : 10);
		new EngineComparisonBenchmark(run.s3(), run.objects(), run.work(), samples, phase).measure(timing);
		timing.note("In this JVM, one engine after the other, defaults (sync-interval 1s, litestream monitor-interval "
				+ "1s, native max-wal-size 64MB). sync(): one single-row commit, then `ReplicatingDataSource.sync()`, "
				+ (samples * 3) + " times at random moments (0–0.5 s apart). PUT: AWS SDK v2 `PutObject` of 4,152 random "
				+ "bytes (a WAL header and one frame, what such a sync ships) from this JVM. Shutdown: `context.close()` "
				+ "0–1 s after 2,000 single-row commits, median of " + samples + ". Throughput: one thread of single-row "
				+ "auto-commit inserts for " + phase.toSeconds() + " s after a third of that as warm-up; off = the same "
				+ "s3lite DataSource without `backup-to` (SQLite's own auto-checkpoint on), measured right before "
				+ "each engine's on (the last row lists both offs, litestream's first). Saturating: two threads "
				+ "inserting 500-byte rows without pause for " + phase.toSeconds() + " s; the -wal size and "
				+ "`now − status().lastSyncTime()` polled every 50 ms.");
		return timing;
	}

	private static Table engineCosts(Run run) throws Exception {
		Table cost = new Table("8. Engine running costs", "Engine, lease", "S3 requests/hour, idle",
				"S3 requests/hour, 1 write/s", "idle app JVM VmHWM MiB", "litestream child VmHWM MiB", "total MiB");
		Duration window = Duration.ofSeconds(run.quick() ? 10 : 60);
		new EngineCostBenchmark(run.s3(), run.work(), window).measure(cost);
		cost.note("Requests: counted by a loopback HTTP forwarder in front of S3Proxy (so the litestream child's "
				+ "requests count too) over " + window.toSeconds() + " s idle, then " + window.toSeconds()
				+ " s with one single-row commit per second, scaled to an hour; counting starts 3 s after the first "
				+ "sync. Memory: the benchmark application in a new JVM (default heap settings), idle 5 s after ready; "
				+ "VmHWM of the JVM and of its litestream child. Lease off: the engine alone; lease on: plus the "
				+ "single-writer lease at its defaults (a renewal every ttl/3 = 10 s, the writer's only lease request).");
		return cost;
	}

	private static Table followers(Run run) throws Exception {
		Table table = new Table("13. Followers: staleness and reads while refreshing", "Measure", "Engine", "Figure",
				"Goal")
			.textColumns(2);
		FollowerBenchmark benchmark = followerBenchmark(run);
		for (String engine : List.of("native", "litestream")) {
			Stats staleness = benchmark.staleness(engine);
			table.row("staleness at 100 writes/s, p50 / p99 / max ms (n)", engine,
					Table.num(staleness.median()) + " / " + Table.num(staleness.percentile(99)) + " / "
							+ Table.num(staleness.max()) + " (" + staleness.count() + ")",
					"p50 ≤ 2,500 (sync 1 s + refresh 1 s + 0.5 s)");
		}
		double[] reads = benchmark.readsPerSecond();
		table.row("reads/s on a follower refreshing every 1 s ÷ one that does not", "native",
				Table.num(reads[0]) + " ÷ " + Table.num(reads[1]) + " = " + Table.ratio(reads[0] / reads[1]),
				"≥ 0.9×");
		table.note("A writer and followers as Spring contexts in this JVM on one replica in the in-process S3Proxy, "
				+ "all at their defaults: sync-interval 1 s, s3lite.follower.refresh-interval 1 s, lease ttl 30 s. "
				+ "Staleness: a writer thread commits 100 "
				+ "single-row inserts a second, stamping each with System.nanoTime(); a reader on the follower polls "
				+ "max(id) every 5 ms; a row's staleness is the time from its commit to the first poll that shows it "
				+ "(the first tenth of the rows, from before the first refresh, left out). Reads: 4 threads of "
				+ "point queries by primary key on a follower for the window, while the writer commits 100 rows a "
				+ "second; the same with refresh-interval 0.");
		return table;
	}

	private static Table followerRequests(Run run) throws Exception {
		Table table = new Table("14. Followers: S3 requests", "Measure", "Engine", "Figure", "Goal").textColumns(2);
		FollowerBenchmark benchmark = followerBenchmark(run);
		for (String engine : List.of("native", "litestream")) {
			long[] requests = benchmark.followerRequests(engine);
			table.row("follower S3 requests/h, idle (of which the lease's)", engine,
					requests[0] + " (" + requests[1] + ")", "≤ 400 without the lease's");
			table.row("follower S3 requests/h, 1 write/s on the writer (of which the lease's)", engine,
					requests[2] + " (" + requests[3] + ")", "—");
		}
		table.note("A writer and a follower as Spring contexts in this JVM on one replica in the in-process "
				+ "S3Proxy, at their defaults (refresh-interval 1 s: the probe backs off to 10 s while the replica "
				+ "is not active; sync-interval 1 s; lease ttl 30 s). Counted by a loopback forwarder in front of "
				+ "S3Proxy that only the follower uses, " + followerSettle(run).toSeconds() + " s after start, then "
				+ "over the window, scaled to an hour; the lease's requests (lock.json: the follower's poll of the "
				+ "holder every 5 s) are shown apart. The writer's own requests are in section 8 (lease on).");
		return table;
	}

	private static FollowerBenchmark followerBenchmark(Run run) {
		return new FollowerBenchmark(run.s3(), run.work(), Duration.ofSeconds(run.quick() ? 10 : 60),
				followerSettle(run));
	}

	private static Duration followerSettle(Run run) {
		return Duration.ofSeconds(run.quick() ? 15 : 75);
	}

	private static List<Table> durable(Run run) throws Exception {
		DurableCommitBenchmark benchmark = new DurableCommitBenchmark(run.s3(), run.objects(), run.work(),
				run.quick() ? 100 : 500, Duration.ofSeconds(run.quick() ? 3 : 10));
		Table latency = new Table("9. Durable commit latency, 1 writer (native engine)", "Operation", "p50 ms",
				"p99 ms", "max ms", "n", "p50 ÷ PUT p50");
		Stats put = benchmark.putLatency();
		latency.row("AWS SDK v2 PUT of one WAL frame (4,152 B)", Table.num(put.median()), Table.num(put.percentile(99)),
				Table.num(put.max()), String.valueOf(put.count()), Table.ratio(1));
		for (boolean durable : new boolean[] { true, false }) {
			Stats commit = benchmark.commitLatency(durable);
			latency.row((durable ? "durable" : "async") + " commit (single-row INSERT, auto-commit)",
					Table.num(commit.median()), Table.num(commit.percentile(99)), Table.num(commit.max()),
					String.valueOf(commit.count()), Table.ratio(commit.median() / put.median()));
		}
		latency.note("Sequential operations in this JVM against the same in-process S3Proxy. Durable: the "
				+ "commit returns once an upload that started after it stored it (s3lite.durable-commits=true); "
				+ "async: the same engine with durable commits off (background upload every 1 s).");
		Table throughput = new Table("10. Durable vs async commits: throughput and uploads per commit",
				"Mode", "writers", "commits/s", "uploads per commit");
		for (boolean durable : new boolean[] { true, false }) {
			for (int writers : new int[] { 1, 4, 16 }) {
				double[] figures = benchmark.throughput(durable, writers);
				throughput.row(durable ? "durable" : "async", String.valueOf(writers), Table.num(figures[0]),
						String.format(java.util.Locale.ROOT, "%.4f", figures[1]));
			}
		}
		throughput.textColumns(2)
			.note("Single-row auto-commit INSERTs through JdbcTemplate from N threads for "
					+ (run.quick() ? 3 : 10) + " s (pool size max(10, N)). Uploads = the engine's upload rounds "
					+ "(`status().syncCount()`), each at most one PUT of a WAL segment; with durable commits, "
					+ "commits that end during an upload share the next one (group commit).");
		return List.of(latency, throughput);
	}

	private static boolean selected(String benchmark) {
		String only = System.getProperty("bench.only", "");
		return only.isBlank() || List.of(only.split(",")).contains(benchmark);
	}

	private static String markdown(List<Table> tables, Instant started, Instant finished, String loadBefore,
			Path repository, boolean quick, boolean large, int runs) {
		StringBuilder out = new StringBuilder("# s3lite benchmarks\n\n");
		String only = System.getProperty("bench.only", "");
		out.append("Generated by `").append(only.contains("sample") ? SAMPLE_COMMAND : COMMAND)
			.append(only.isBlank() ? "" : " -Dbench.only=" + only)
			.append(large ? " -Dbench.large=true" : "")
			.append(quick ? " -Dbench.quick=true` (smoke run: tiny sizes, not for comparison)" : "`")
			.append(". Every figure is a median over several runs with min and max; every ratio compares "
					+ "figures taken within this one run, on the same machine, against the same in-process S3Proxy "
					+ "(127.0.0.1) and the bundled litestream binary, so that the ratios stay meaningful on a "
					+ "noisy machine even when the absolute times do not.\n\n");
		out.append("| | |\n|---|---|\n");
		out.append("| Date (UTC) | ").append(started.truncatedTo(ChronoUnit.SECONDS)).append(" – ")
			.append(finished.truncatedTo(ChronoUnit.SECONDS)).append(" (")
			.append(Duration.between(started, finished).toSeconds()).append(" s) |\n");
		out.append("| Machine | ").append(Machine.cpu()).append(", ").append(Machine.memory()).append(" RAM, ")
			.append(Machine.os()).append(" |\n");
		out.append("| Load average (1/5/15 min) | before: ").append(loadBefore).append("; after: ")
			.append(Machine.load()).append(" |\n");
		out.append("| JDK | ").append(Machine.jdk()).append(" |\n");
		out.append("| Spring Boot | ").append(Machine.springBoot()).append(" |\n");
		out.append("| litestream | ").append(Machine.litestream()).append(" (bundled linux-x86_64 binary) |\n");
		out.append("| s3lite | commit ").append(Machine.git(repository)).append(" |\n");
		out.append("| S3 | S3Proxy (in-process, in-memory store, 127.0.0.1) |\n");
		out.append("| Runs per figure | ").append(runs).append(" |\n\n");
		for (Table table : tables) {
			out.append(table.markdown());
		}
		return out.toString();
	}

}
