package io.github.s3lite.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.openjdk.jmh.results.BenchmarkResult;
import org.openjdk.jmh.results.IterationResult;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

import io.github.s3lite.test.S3ProxyServer;

/**
 * Runs {@link WriteThroughputBenchmark} with JMH and turns its results and the peak RSS the forks
 * recorded into the write-throughput and memory tables.
 */
final class WriteThroughputRunner {

	private final S3ProxyServer s3;

	private final Path work;

	private final boolean quick;

	WriteThroughputRunner(S3ProxyServer s3, Path work, boolean quick) {
		this.s3 = s3;
		this.work = work;
		this.quick = quick;
	}

	void measure(Table throughput, Table memory) throws Exception {
		Files.createDirectories(this.work);
		Path trials = this.work.resolve("trials.txt");
		Files.deleteIfExists(trials);
		int iterations = this.quick ? 2 : 5;
		TimeValue time = TimeValue.seconds(this.quick ? 1 : 3);
		Collection<RunResult> results = new Runner(new OptionsBuilder()
			.include(WriteThroughputBenchmark.class.getName())
			.forks(1)
			.warmupIterations(this.quick ? 1 : 2)
			.warmupTime(time)
			.measurementIterations(iterations)
			.measurementTime(time)
			.jvmArgsAppend("-D" + WriteThroughputBenchmark.ENDPOINT + "=" + this.s3.endpoint(),
					"-D" + WriteThroughputBenchmark.TRIAL_FILE + "=" + trials)
			.build()).run();
		Map<String, Stats> rowsPerSecond = new HashMap<>();
		for (RunResult result : results) {
			String benchmark = result.getParams().getBenchmark();
			String name = benchmark.substring(benchmark.lastIndexOf('.') + 1);
			String replication = result.getParams().getParam("replication");
			List<Double> scores = new ArrayList<>();
			for (BenchmarkResult fork : result.getBenchmarkResults()) {
				for (IterationResult iteration : fork.getIterationResults()) {
					scores.add(iteration.getPrimaryResult().getScore());
				}
			}
			rowsPerSecond.put(name + " " + replication, Stats.of(scores));
		}
		for (String name : List.of("singleRowTransaction", "hundredRowBatch")) {
			Stats on = rowsPerSecond.get(name + " on");
			Stats off = rowsPerSecond.get(name + " off");
			Stats same = rowsPerSecond.get(name + " off-no-autocheckpoint");
			String label = name.equals("singleRowTransaction") ? "single-row transactions (auto-commit)"
					: "100-row batches (one transaction each)";
			throughput.row(label, Table.stats(off), Table.stats(same), Table.stats(on),
					Table.ratio(on.median() / off.median()), Table.ratio(on.median() / same.median()));
		}
		for (String line : Files.readAllLines(trials)) {
			String[] parts = line.split(" ");
			String label = (parts[0].equals("singleRowTransaction") ? "single-row transactions"
					: "100-row batches") + ", " + parts[1];
			memory.row(label, Table.num(Double.parseDouble(parts[2])), Table.num(Double.parseDouble(parts[3])),
					Table.num(Double.parseDouble(parts[4])), parts[5].equals("-1") ? "" : parts[5],
					parts[5].equals("-1") ? "" : Table.num(Double.parseDouble(parts[6])));
		}
	}

}
