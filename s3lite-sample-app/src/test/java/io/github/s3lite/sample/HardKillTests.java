package io.github.s3lite.sample;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import io.github.s3lite.test.IndependentRestore;
import io.github.s3lite.test.S3ProxyServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The hard-kill harness: the notes app runs as its own OS process ({@link NumberedWriter}), commits
 * numbered notes, and is killed with SIGKILL at a random moment. Then either the machine is gone too
 * (litestream is killed with it and the local directory is deleted, so the next process restores from
 * S3), or only the JVM died (the local file stays, and litestream, which runs in its own session, is
 * left running as an orphan for the next start to deal with). Every next start must see a database
 * that passes {@code PRAGMA integrity_check}, whose notes form a consistent prefix
 * ({@code count(*) == max(id)}), and that holds every note covered by a completed {@code sync()} --
 * and, when the local file survived, every acknowledged note.
 *
 * <p>
 * The default run does {@value #DEFAULT_CYCLES} cycles; {@code -Ds3lite.crash.cycles=100} runs the
 * long mode ({@code -Ds3lite.crash.engine=native} for one engine). Both run for each engine ({@code --s3lite.engine=litestream|native}; the native engine
 * has no child process, so nothing is orphaned) and print one summary line per engine.
 */
class HardKillTests {

	private static final int DEFAULT_CYCLES = 4;

	private static final String BUCKET = "crash";

	private static final Pattern READY = Pattern.compile("WRITER ready count=(\\d+) max=(\\d+) integrity=(.*)");

	private static final Duration HANG_GUARD = Duration.ofSeconds(90);

	@RegisterExtension
	static final S3ProxyServer s3 = S3ProxyServer.withBucket(BUCKET);

	@TempDir
	Path dir;

	@ParameterizedTest
	@ValueSource(strings = { "litestream", "native" })
	void aKilledAppRestartsOnAConsistentPrefixHoldingEverySyncedRow(String engine) throws Exception {
		String only = System.getProperty("s3lite.crash.engine");
		assumeTrue(only == null || only.equals(engine), "-Ds3lite.crash.engine=" + only);
		runCycles("notes-" + engine, engine, List.of("--s3lite.engine=" + engine,
				"--s3lite.litestream.monitor-interval=200ms", "--s3lite.litestream.sync-interval=200ms",
				"--s3lite.litestream.shutdown-timeout=5s", "--s3lite.native-engine.sync-interval=200ms"), false);
	}

	/**
	 * With {@code s3lite.durable-commits=true} (native engine) an acknowledged row is in the replica, so
	 * not one is lost, even when the machine is gone with the local file.
	 */
	@Test
	void withDurableCommitsAKilledAppLosesNoAcknowledgedRow() throws Exception {
		String only = System.getProperty("s3lite.crash.engine");
		assumeTrue(only == null || only.equals("durable"), "-Ds3lite.crash.engine=" + only);
		runCycles("durable-notes", "durable", List.of("--s3lite.durable-commits=true"), true);
	}

	private void runCycles(String prefix, String label, List<String> engineArgs, boolean durable) throws Exception {
		int cycles = Integer.getInteger("s3lite.crash.cycles", DEFAULT_CYCLES);
		long seed = Long.getLong("s3lite.crash.seed", System.nanoTime());
		Random random = new Random(seed);
		Path data = this.dir.resolve("data");
		Path database = data.resolve("notes.sqlite3");
		Path logs = Path.of("target", "crash-logs", label);
		List<String> args = new ArrayList<>(AppProcess.s3Args(database, s3, "s3://" + BUCKET + "/" + prefix));
		// crash semantics of replication, restarted at once: with the lease, a restart would follow until the
		// killed process's lease expired (up to s3lite.lease.ttl); that case is DeployOverlapTests'
		args.add("--s3lite.lease.enabled=false");
		args.addAll(engineArgs);
		args.add("--logging.level.io.github.s3lite=INFO");
		Summary summary = new Summary();
		List<String> failures = new ArrayList<>();
		long ackedMax = 0;
		long syncedMax = 0;
		boolean localFileKept = false;
		List<ProcessHandle> orphans = List.of();
		for (int cycle = 1; cycle <= cycles; cycle++) {
			Path log = logs.resolve(prefix + "-cycle-" + cycle + ".log");
			try (AppProcess app = AppProcess.start(NumberedWriter.class, log, List.of(), args)) {
				Matcher ready = match(READY, app.await((line) -> line.startsWith("WRITER ready"), HANG_GUARD));
				long count = Long.parseLong(ready.group(1));
				long max = Long.parseLong(ready.group(2));
				if (!"ok".equals(ready.group(3))) {
					summary.integrityFailures++;
					failures.add("cycle " + cycle + ": integrity_check = " + ready.group(3));
				}
				if (count != max) {
					failures.add("cycle " + cycle + ": count(*) " + count + " != max(id) " + max);
				}
				if (max < syncedMax) {
					summary.syncedLost += syncedMax - max;
					failures.add("cycle " + cycle + ": synced up to " + syncedMax + " but restored max(id) " + max);
				}
				if (durable && max < ackedMax) {
					failures.add("cycle " + cycle + ": durable commits acked " + ackedMax + " > restored max(id) " + max);
				}
				if (localFileKept && max < ackedMax) {
					failures.add("cycle " + cycle + ": the local file was kept but acked " + ackedMax
							+ " > max(id) " + max);
				}
				summary.lost += Math.max(0, ackedMax - max);
				for (ProcessHandle orphan : orphans) {
					if (AppProcess.running(orphan)) {
						summary.orphansAlive++;
						failures.add("cycle " + cycle + ": the orphaned litestream " + orphan.pid() + " still runs");
					}
				}
				// the writer now continues from max; anything acked above it is gone
				ackedMax = max;
				syncedMax = Math.min(syncedMax, max);
				Thread.sleep(200 + random.nextInt(2500));
				List<ProcessHandle> litestream = app.litestream();
				app.kill();
				localFileKept = random.nextInt(3) == 0;
				if (localFileKept) {
					orphans = litestream.stream().filter(AppProcess::running).toList();
					summary.orphansLeft += orphans.size();
				}
				else {
					litestream.forEach(ProcessHandle::destroyForcibly);
					for (ProcessHandle process : litestream) {
						while (AppProcess.running(process)) {
							Thread.sleep(10);
						}
					}
					orphans = List.of();
					deleteRecursively(data);
				}
				long cycleStart = ackedMax;
				for (String line : app.lines()) {
					if (line.startsWith("WRITER acked ")) {
						ackedMax = Math.max(ackedMax, Long.parseLong(line.substring(13)));
					}
					else if (line.startsWith("WRITER synced ")) {
						syncedMax = Math.max(syncedMax, Long.parseLong(line.substring(14)));
					}
				}
				summary.acked += ackedMax - cycleStart;
				summary.synced = Math.max(summary.synced, syncedMax);
				summary.cycles++;
			}
		}
		orphans.forEach(ProcessHandle::destroyForcibly);
		Path restored = IndependentRestore.fromS3(s3, BUCKET, prefix, this.dir.resolve("final-check.db"));
		String integrity = IndependentRestore.integrityCheck(restored);
		long count = IndependentRestore.count(restored, "notes");
		long max = IndependentRestore.queryLong(restored, "SELECT coalesce(max(id), 0) FROM notes");
		System.out.println("HARD-KILL engine=" + label + " cycles=" + summary.cycles + " rowsAcked=" + summary.acked
				+ " rowsSynced="
				+ summary.synced + " rowsLost=" + summary.lost + " syncedRowsLost=" + summary.syncedLost
				+ " integrityFailures=" + summary.integrityFailures + " orphansLeft=" + summary.orphansLeft
				+ " orphansStillAlive=" + summary.orphansAlive + " seed=" + seed + " finalRestore=" + integrity + "/"
				+ count + "/" + max);
		assertThat(failures).isEmpty();
		assertThat(integrity).isEqualTo("ok");
		assertThat(count).isEqualTo(max);
		assertThat(max).isGreaterThanOrEqualTo(syncedMax);
		assertThat(summary.cycles).isEqualTo(cycles);
		assertThat(summary.acked).as("the writer committed rows").isPositive();
		if (durable) {
			assertThat(summary.lost).as("acknowledged rows lost with durable commits").isZero();
		}
	}

	private static Matcher match(Pattern pattern, String line) {
		Matcher matcher = pattern.matcher(line);
		assertThat(matcher.matches()).as(line).isTrue();
		return matcher;
	}

	static void deleteRecursively(Path directory) throws IOException {
		if (!Files.exists(directory)) {
			return;
		}
		try (Stream<Path> files = Files.walk(directory)) {
			for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
				Files.deleteIfExists(file);
			}
		}
	}

	private static final class Summary {

		int cycles;

		long acked;

		long synced;

		long lost;

		long syncedLost;

		int integrityFailures;

		int orphansLeft;

		int orphansAlive;

	}

}
