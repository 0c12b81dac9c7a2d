package io.github.s3lite.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.Callable;

import io.github.s3lite.internal.config.NativeOptions;
import io.github.s3lite.internal.config.ReplicaUrl;
import io.github.s3lite.internal.config.S3Connection;
import io.github.s3lite.internal.nativeengine.NativeEngine;
import io.github.s3lite.internal.restore.ReplicaRestorer;
import io.github.s3lite.internal.restore.RestoreResult;
import io.github.s3lite.test.IndependentRestore;
import io.github.s3lite.test.S3ProxyServer;

/**
 * The restore alone, in one run: s3lite's native restore in this JVM (what every application restores
 * with, whichever engine replicates), the bare {@code litestream restore} CLI as a process, and a plain
 * AWS SDK v2 GET of the snapshot object, on the same replica written by litestream. Each case runs once
 * unmeasured, then the cases take turns in a rotating order.
 */
final class RestoreBenchmark {

	private final S3ProxyServer s3;

	private final ReplicaObjects objects;

	private final Path work;

	private final int runs;

	RestoreBenchmark(S3ProxyServer s3, ReplicaObjects objects, Path work, int runs) {
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
		String prefix = "restore-" + label.replace(" ", "").toLowerCase(Locale.ROOT);
		Bench.log("restore %s: seeding the replica", label);
		SeededReplica replica = SeededReplica.create(this.s3, prefix, bytes, this.work.resolve(prefix));
		long replicaBytes = replica.replicaBytes(this.objects);
		String snapshot = replica.keys().stream().filter((key) -> key.endsWith(".snapshot.lz4")).findFirst().orElseThrow();
		long snapshotBytes = this.objects.size(List.of(snapshot));
		NativeEngine engine = new NativeEngine(S3Connection.of(this.s3.endpoint(), "us-east-1", true,
				S3ProxyServer.ACCESS_KEY, S3ProxyServer.SECRET_KEY), new NativeOptions(Duration.ofSeconds(1),
						Duration.ofHours(1), Duration.ofHours(24), 64L << 20, Duration.ofSeconds(10)));
		ReplicaUrl url = ReplicaUrl.parse("s3lite.restore-from", "s3://" + BenchApps.BUCKET + "/" + prefix);
		Map<String, Callable<Double>> cases = new LinkedHashMap<>();
		cases.put("native", () -> {
			Path database = this.work.resolve(prefix + "-native").resolve("native.sqlite3");
			long started = System.nanoTime();
			RestoreResult result = new ReplicaRestorer(engine, database, url, Duration.ofMinutes(30),
					"s3lite.restore-from")
				.restore();
			double elapsed = (System.nanoTime() - started) / 1e6;
			check(result.outcome() == RestoreResult.Outcome.RESTORED, database, replica, "s3lite's native restore");
			Bench.deleteRecursively(database.getParent());
			return elapsed;
		});
		cases.put("cli", () -> {
			Path dir = Files.createDirectories(this.work.resolve(prefix + "-cli"));
			long started = System.nanoTime();
			Path restored = IndependentRestore.fromS3(this.s3, BenchApps.BUCKET, prefix, dir.resolve("cli.sqlite3"));
			double elapsed = (System.nanoTime() - started) / 1e6;
			check(restored != null, dir.resolve("cli.sqlite3"), replica, "litestream restore");
			Bench.deleteRecursively(dir);
			return elapsed;
		});
		cases.put("get", () -> {
			Path dir = this.work.resolve(prefix + "-get");
			long started = System.nanoTime();
			long downloaded = this.objects.download(List.of(snapshot), dir);
			double elapsed = (System.nanoTime() - started) / 1e6;
			Bench.deleteRecursively(dir);
			if (downloaded != snapshotBytes) {
				throw new IllegalStateException("Downloaded " + downloaded + " bytes, expected " + snapshotBytes);
			}
			return elapsed;
		});
		Map<String, List<Double>> samples = ColdStartBenchmark.rotate(cases, "restore " + label, this.runs);
		this.s3.deletePrefix(BenchApps.BUCKET, prefix + "/");
		Stats nativeRestore = Stats.of(samples.get("native"));
		Stats cli = Stats.of(samples.get("cli"));
		Stats get = Stats.of(samples.get("get"));
		String size = label + " (" + Table.num(replica.databaseBytes() / 1048576.0) + " MiB db, "
				+ Table.num(replicaBytes / 1048576.0) + " MiB in S3, " + replica.keys().size() + " objects)";
		table.row(size, "s3lite native restore (in this JVM)", Table.stats(nativeRestore),
				Table.ratio(nativeRestore.median() / cli.median()), Table.ratio(nativeRestore.median() / get.median()));
		table.row(size, "`litestream restore` CLI (bundled binary, a process)", Table.stats(cli), Table.ratio(1),
				Table.ratio(cli.median() / get.median()));
		table.row(size, "AWS SDK v2 GET of the snapshot object (" + Table.num(snapshotBytes / 1048576.0) + " MiB) to a file",
				Table.stats(get), Table.ratio(get.median() / cli.median()), Table.ratio(1));
	}

	private static void check(boolean restored, Path database, SeededReplica replica, String what) {
		if (!restored || IndependentRestore.count(database, "items") != replica.rows()) {
			throw new IllegalStateException(what + " did not restore " + replica.prefix());
		}
	}

}
