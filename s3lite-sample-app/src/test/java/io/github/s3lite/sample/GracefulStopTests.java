package io.github.s3lite.sample;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import io.github.s3lite.test.IndependentRestore;
import io.github.s3lite.test.S3ProxyServer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * SIGTERM to the notes app, as a separate process, right after a burst of HTTP writes and without any
 * explicit sync: a fresh restore holds every acknowledged note, and a restart on the kept local file
 * continues the same litestream generation without uploading a new snapshot.
 */
class GracefulStopTests {

	private static final String BUCKET = "graceful";

	private static final Duration HANG_GUARD = Duration.ofSeconds(90);

	@RegisterExtension
	static final S3ProxyServer s3 = S3ProxyServer.withBucket(BUCKET);

	@TempDir
	Path dir;

	@Test
	void sigtermRightAfterABurstKeepsEveryAcknowledgedNoteAndTheNextStartContinuesTheGeneration()
			throws Exception {
		Path database = this.dir.resolve("data/notes.sqlite3");
		List<Long> acked = new ArrayList<>();
		AppRun first = burstThenSigterm(database, "first", 200, acked);
		assertThat(first.output()).contains("Final flush to the replica completed");
		Path restored = IndependentRestore.fromS3(s3, BUCKET, "notes", this.dir.resolve("fresh-1.db"));
		assertThat(IndependentRestore.integrityCheck(restored)).isEqualTo("ok");
		assertThat(IndependentRestore.count(restored, "notes")).isEqualTo(acked.size());
		assertThat(IndependentRestore.queryLong(restored, "SELECT max(id) FROM notes")).isEqualTo(acked.get(acked.size() - 1));

		Path generationFile = database.resolveSibling(".notes.sqlite3-litestream/generation");
		String generation = Files.readString(generationFile).strip();
		List<String> snapshots = snapshots();
		assertThat(snapshots).hasSize(1);
		AppRun second = burstThenSigterm(database, "second", 20, acked);
		assertThat(second.output()).contains("Local database " + database + " exists; not restoring");
		assertThat(Files.readString(generationFile).strip()).isEqualTo(generation);
		assertThat(snapshots()).isEqualTo(snapshots);
		restored = IndependentRestore.fromS3(s3, BUCKET, "notes", this.dir.resolve("fresh-2.db"));
		assertThat(IndependentRestore.count(restored, "notes")).isEqualTo(acked.size()).isEqualTo(220);
		assertThat(IndependentRestore.queryLong(restored, "SELECT max(id) FROM notes")).isEqualTo(acked.get(acked.size() - 1));
	}

	private AppRun burstThenSigterm(Path database, String name, int notes, List<Long> acked) {
		int port = NotesHttp.freePort();
		List<String> args = new ArrayList<>(AppProcess.s3Args(database, s3, "s3://" + BUCKET + "/notes"));
		args.add("--server.port=" + port);
		try (AppProcess app = AppProcess.start(NotesApplication.class, Path.of("target", "graceful-logs", name + ".log"),
				List.of(), args)) {
			app.await((line) -> line.contains("Started NotesApplication"), HANG_GUARD);
			NotesHttp http = new NotesHttp(port);
			for (int i = 0; i < notes; i++) {
				acked.add(http.create(name + "-" + i));
			}
			app.terminate(HANG_GUARD);
			assertThat(app.litestream()).isEmpty();
			return new AppRun(app.output());
		}
	}

	private List<String> snapshots() {
		return s3.keys(BUCKET, "notes").stream().filter((key) -> key.contains("/snapshots/")).toList();
	}

	private record AppRun(String output) {
	}

}
