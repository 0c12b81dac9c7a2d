package io.github.s3lite.sample;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import io.github.s3lite.test.S3ProxyServer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A training run of Spring Boot's start-up accelerators ({@code -Dspring.context.exit=onRefresh}, which
 * halts the JVM once the context is refreshed, as the CDS and AOT-cache recipes do) against a real
 * replica: it must neither read nor write the replica, leave no database at {@code s3lite.path} (an image
 * built with it would start on that file instead of restoring), and leave no litestream process behind.
 */
class TrainingRunTests {

	private static final String BUCKET = "s3lite-training-run";

	private static final Duration HANG_GUARD = Duration.ofSeconds(90);

	@RegisterExtension
	static final S3ProxyServer s3 = S3ProxyServer.withBucket(BUCKET);

	@TempDir
	Path dir;

	@Test
	void aTrainingRunLeavesTheReplicaByteForByteUnchangedNoDatabaseAtThePathAndNoLitestreamProcess()
			throws Exception {
		Path database = this.dir.resolve("data/notes.sqlite3");
		String replica = "s3://" + BUCKET + "/notes";
		int port = NotesHttp.freePort();
		try (AppProcess app = AppProcess.start(NotesApplication.class, Path.of("target", "training-logs", "seed.log"),
				List.of(), args(database, replica, port))) {
			app.await((line) -> line.contains("Started NotesApplication"), HANG_GUARD);
			new NotesHttp(port).create("written before the training run");
			assertThat(app.terminate(HANG_GUARD)).isNotEqualTo(-1);
		}
		for (String suffix : new String[] { "", "-wal", "-shm" }) {
			Files.deleteIfExists(database.resolveSibling(database.getFileName() + suffix));
		}
		Map<String, String> replicaBefore = s3.objectHashes(BUCKET, "notes");
		assertThat(replicaBefore).isNotEmpty();
		Instant trainingStarted = Instant.now();
		try (AppProcess training = AppProcess.start(NotesApplication.class,
				Path.of("target", "training-logs", "training.log"), List.of("-Dspring.context.exit=onRefresh"),
				args(database, replica, NotesHttp.freePort()))) {
			assertThat(training.waitForExit(HANG_GUARD)).isZero();
			assertThat(training.output())
				.contains("Training run (spring.context.exit=onRefresh): not restoring from " + replica
						+ ", not replicating to " + replica + ", taking no lease and starting no litestream process; "
						+ "using the throwaway database ")
				.doesNotContain("Replication is off")
				.doesNotContain("Restoring " + database)
				.doesNotContain("Replication started");
		}
		assertThat(s3.objectHashes(BUCKET, "notes")).isEqualTo(replicaBefore);
		assertThat(database).doesNotExist();
		assertThat(orphanedLitestreamStartedAfter(trainingStarted)).isEmpty();
	}

	private static List<String> args(Path database, String replica, int port) {
		List<String> args = new ArrayList<>(AppProcess.s3Args(database, s3, replica));
		args.add("--server.port=" + port);
		return args;
	}

	/**
	 * Return the litestream processes that started after the given instant and no longer have a live
	 * parent, which is what a JVM halted under its child leaves.
	 */
	private static List<ProcessHandle> orphanedLitestreamStartedAfter(Instant instant) {
		return ProcessHandle.allProcesses()
			.filter(AppProcess::running)
			.filter((process) -> process.info().command().map((command) -> command.contains("litestream")).orElse(false))
			.filter((process) -> process.info().startInstant().map((start) -> start.isAfter(instant)).orElse(false))
			.filter((process) -> process.parent().map((parent) -> parent.pid() == 1 || !parent.isAlive()).orElse(true))
			.toList();
	}

}
