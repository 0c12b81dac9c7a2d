package io.github.s3lite.sample;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.util.ClassUtils;

import io.github.s3lite.test.IndependentRestore;
import io.github.s3lite.test.S3ProxyServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The sample app processed by Spring AOT ({@code mvn -Paot}, Spring Boot's {@code process-aot}) starts on
 * the JVM with {@code -Dspring.aot.enabled=true}, restores in the background, replicates and serves a
 * write and a read. Skipped unless the build ran {@code process-aot}:
 * {@code mvn -Paot -pl s3lite-sample-app -am test -Dtest=AotModeTests -Dsurefire.failIfNoSpecifiedTests=false}.
 */
class AotModeTests {

	private static final String BUCKET = "s3lite-aot";

	private static final Duration HANG_GUARD = Duration.ofSeconds(90);

	@RegisterExtension
	static final S3ProxyServer s3 = S3ProxyServer.withBucket(BUCKET);

	@TempDir
	Path dir;

	@Test
	void theAotProcessedAppRestoresServesAWriteAndAReadAndReplicates() {
		assumeTrue(ClassUtils.isPresent(NotesApplication.class.getName() + "__ApplicationContextInitializer", null),
				"the sample app was not processed by Spring AOT (build with -Paot)");
		String replica = "s3://" + BUCKET + "/notes";
		long first = startWriteAndStop(this.dir.resolve("first/notes.sqlite3"), replica, "first");
		Path second = this.dir.resolve("second/notes.sqlite3");
		int port = NotesHttp.freePort();
		try (AppProcess app = start(second, replica, port, "second")) {
			app.await((line) -> line.contains("Started NotesApplication"), HANG_GUARD);
			assertThat(app.output()).contains("Starting AOT-processed NotesApplication")
				.contains("[s3lite-restore]")
				.contains("Restored ");
			NotesHttp http = new NotesHttp(port);
			assertThat(http.get("/api/notes/" + first).body()).contains("written in AOT mode");
			long written = http.create("written again in AOT mode");
			assertThat(http.get("/api/notes/" + written).statusCode()).isEqualTo(200);
			assertThat(app.terminate(HANG_GUARD)).isNotEqualTo(-1);
		}
		Path restored = IndependentRestore.fromS3(s3, BUCKET, "notes", this.dir.resolve("independent.db"));
		assertThat(IndependentRestore.count(restored, "notes")).isEqualTo(2);
	}

	private long startWriteAndStop(Path database, String replica, String name) {
		int port = NotesHttp.freePort();
		try (AppProcess app = start(database, replica, port, name)) {
			app.await((line) -> line.contains("Started NotesApplication"), HANG_GUARD);
			long id = new NotesHttp(port).create("written in AOT mode");
			assertThat(app.terminate(HANG_GUARD)).isNotEqualTo(-1);
			return id;
		}
	}

	private static AppProcess start(Path database, String replica, int port, String name) {
		List<String> args = new ArrayList<>(AppProcess.s3Args(database, s3, replica));
		args.add("--server.port=" + port);
		return AppProcess.start(NotesApplication.class, Path.of("target", "aot-logs", name + ".log"),
				List.of("-Dspring.aot.enabled=true"), args);
	}

}
