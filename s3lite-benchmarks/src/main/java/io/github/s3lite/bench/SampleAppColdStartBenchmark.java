package io.github.s3lite.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.stream.Stream;

import io.github.s3lite.test.S3ProxyServer;

/**
 * Cold start of the packaged sample app (web, actuator, s3lite), the way a container starts it: Spring
 * Boot's extracted jar layout ({@code java -Djarmode=tools -jar app.jar extract}), on Java 17 with and
 * without a class data sharing archive, and on Java 25 with and without an AOT cache, each archive made
 * by a training run ({@code -Dspring.context.exit=onRefresh}). Each start restores an empty replica or a
 * seeded one; every case starts once unmeasured, then the cases take turns in a rotating order.
 */
final class SampleAppColdStartBenchmark {

	private final S3ProxyServer s3;

	private final Path work;

	private final int runs;

	private final Path sampleJar;

	private final Path java25;

	private int starts;

	SampleAppColdStartBenchmark(S3ProxyServer s3, Path work, int runs, Path sampleJar, Path java25) {
		this.s3 = s3;
		this.work = work;
		this.runs = runs;
		this.sampleJar = sampleJar;
		this.java25 = java25;
	}

	private record Launch(String name, Path java, List<String> options) {
	}

	private record Replica(String label, SeededReplica seeded) {

		boolean empty() {
			return this.seeded == null;
		}

	}

	/**
	 * Measure every launch against every replica and fill the table.
	 * @param sizes labelled database sizes to seed besides the empty replica
	 * @param table the table to fill
	 */
	void measure(Map<String, Long> sizes, Table table) throws Exception {
		Path java17 = Path.of(System.getProperty("java.home"), "bin", "java");
		Path extracted = this.work.resolve("sample-app");
		SampleAppProcess.runToEnd(List.of(java17.toString(), "-Djarmode=tools", "-jar", this.sampleJar.toString(),
				"extract", "--destination", extracted.toString()), this.work, Map.of());
		Path jar = applicationJar(extracted);
		List<Launch> launches = new ArrayList<>();
		launches.add(new Launch("Java 17", java17, List.of()));
		launches.add(new Launch("Java 17 + CDS archive", java17, List.of("-XX:SharedArchiveFile=app.jsa")));
		train(java17, List.of("-XX:ArchiveClassesAtExit=app.jsa"), jar);
		if (Files.isExecutable(this.java25)) {
			launches.add(new Launch("Java 25", this.java25, List.of()));
			launches.add(new Launch("Java 25 + AOT cache", this.java25, List.of("-XX:AOTCache=app.aot")));
			train(this.java25, List.of("-XX:AOTCacheOutput=app.aot"), jar);
		}
		List<Replica> replicas = new ArrayList<>();
		replicas.add(new Replica("empty replica", null));
		for (Map.Entry<String, Long> size : sizes.entrySet()) {
			String prefix = "sample-" + size.getKey().replace(" ", "").toLowerCase(Locale.ROOT);
			Bench.log("sample app cold start: seeding %s", size.getKey());
			replicas.add(new Replica(size.getKey(),
					SeededReplica.create(this.s3, prefix, size.getValue(), this.work.resolve(prefix))));
		}
		Map<String, List<SampleAppProcess.Result>> results = new LinkedHashMap<>();
		List<String> names = new ArrayList<>();
		for (Launch launch : launches) {
			for (Replica replica : replicas) {
				names.add(launch.name() + " | " + replica.label());
			}
		}
		for (int run = -1; run < this.runs; run++) {
			StringBuilder line = new StringBuilder();
			for (int i = 0; i < names.size(); i++) {
				int index = Math.floorMod(run + i, names.size());
				Launch launch = launches.get(index / replicas.size());
				Replica replica = replicas.get(index % replicas.size());
				SampleAppProcess.Result result = start(launch, replica, jar);
				if (run >= 0) {
					results.computeIfAbsent(names.get(index), (key) -> new ArrayList<>()).add(result);
					line.append(String.format(Locale.ROOT, " [%s %.0f/%.0f ms]", names.get(index), result.readyMillis(),
							result.firstOkMillis()));
				}
			}
			Bench.log("sample app cold start %s:%s", (run < 0) ? "warm-up" : "run " + (run + 1), line);
		}
		fill(table, launches, replicas, results);
	}

	private void fill(Table table, List<Launch> launches, List<Replica> replicas,
			Map<String, List<SampleAppProcess.Result>> results) {
		Stats reference = ready(results.get(launches.get(0).name() + " | " + replicas.get(0).label()));
		for (Launch launch : launches) {
			Stats emptyReady = ready(results.get(launch.name() + " | " + replicas.get(0).label()));
			Stats emptyOk = firstOk(results.get(launch.name() + " | " + replicas.get(0).label()));
			for (Replica replica : replicas) {
				List<SampleAppProcess.Result> samples = results.get(launch.name() + " | " + replica.label());
				Stats ready = ready(samples);
				Stats ok = firstOk(samples);
				Stats restore = Stats.of(samples.stream().map(SampleAppProcess.Result::restoreMillis).toList());
				String size = replica.empty() ? replica.label()
						: replica.label() + " (" + Table.num(replica.seeded().databaseBytes() / 1048576.0) + " MiB db)";
				table.row(launch.name(), size, Table.stats(ready), Table.ratio(ready.median() / emptyReady.median()),
						Table.stats(ok), Table.ratio(ok.median() / emptyOk.median()),
						Table.ratio(ready.median() / reference.median()),
						replica.empty() ? "" : Table.num(restore.median()));
			}
		}
	}

	private static Stats ready(List<SampleAppProcess.Result> results) {
		return Stats.of(results.stream().map(SampleAppProcess.Result::readyMillis).toList());
	}

	private static Stats firstOk(List<SampleAppProcess.Result> results) {
		return Stats.of(results.stream().map(SampleAppProcess.Result::firstOkMillis).toList());
	}

	private SampleAppProcess.Result start(Launch launch, Replica replica, Path jar) {
		int start = this.starts++;
		Path dir = this.work.resolve("sample-run-" + start);
		String prefix = replica.empty() ? "sample-empty-" + start : replica.seeded().prefix();
		int port = freePort();
		SampleAppProcess.Result result = SampleAppProcess.run(launch.java(), launch.options(), jar,
				properties(dir, prefix, port), port);
		if (replica.empty()) {
			this.s3.deletePrefix(BenchApps.BUCKET, prefix + "/");
		}
		else {
			replica.seeded().resetToSeed(this.s3);
			if (!result.output().contains("Restored ")) {
				throw new IllegalStateException("The sample app did not restore " + prefix + ":\n" + result.output());
			}
		}
		Bench.deleteRecursively(dir);
		return result;
	}

	/**
	 * A training run: the app against an empty replica with {@code -Dspring.context.exit=onRefresh}, which
	 * s3lite recognises (no restore, no replication, a throwaway database).
	 */
	private void train(Path java, List<String> options, Path jar) {
		List<String> command = new ArrayList<>(List.of(java.toString()));
		command.addAll(options);
		command.addAll(List.of("-Dspring.context.exit=onRefresh", "-jar", jar.toString()));
		Bench.log("sample app cold start: training run %s", command);
		Path dir = this.work.resolve("sample-training");
		SampleAppProcess.runToEnd(command, jar.getParent(), properties(dir, "sample-training", freePort()));
		Bench.deleteRecursively(dir);
	}

	private Map<String, Object> properties(Path dir, String prefix, int port) {
		Map<String, Object> properties = BenchApps.replicated(this.s3.endpoint(), dir.resolve("notes.sqlite3").toString(),
				prefix);
		properties.remove("s3lite.migrations[0]");
		properties.put("server.port", port);
		properties.put("s3lite.shutdown-sync-timeout", "30m");
		properties.put("s3lite.litestream.shutdown-timeout", "30m");
		return properties;
	}

	private static Path applicationJar(Path extracted) throws Exception {
		try (Stream<Path> files = Files.list(extracted)) {
			return files.filter((file) -> file.getFileName().toString().endsWith(".jar"))
				.findFirst()
				.orElseThrow(() -> new IllegalStateException("No application jar in " + extracted));
		}
	}

	private static int freePort() {
		try (java.net.ServerSocket socket = new java.net.ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
		catch (java.io.IOException ex) {
			throw new java.io.UncheckedIOException(ex);
		}
	}

}
