package io.github.s3lite.sample;

import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import io.github.s3lite.test.S3ProxyServer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The S3 secret key, handed to the notes app through its environment, never shows up in a command
 * line ({@code /proc/<pid>/cmdline} of the app and of its litestream child), in the logs with s3lite
 * at TRACE, in what the actuator endpoints serve, or in a file other users can read; litestream's
 * configuration and its directory are owner-only.
 */
class SecretsTests {

	private static final String BUCKET = "secrets";

	private static final Duration HANG_GUARD = Duration.ofSeconds(90);

	private static final String SECRET = S3ProxyServer.SECRET_KEY;

	@RegisterExtension
	static final S3ProxyServer s3 = S3ProxyServer.withBucket(BUCKET);

	@TempDir
	Path dir;

	@Test
	void theSecretKeyIsInNoCommandLineLogEndpointOrWorldReadableFile() throws Exception {
		Path data = this.dir.resolve("data");
		int port = NotesHttp.freePort();
		List<String> args = new ArrayList<>(AppProcess.s3Args(data.resolve("notes.sqlite3"), s3, "s3://" + BUCKET + "/notes"));
		args.addAll(List.of("--server.port=" + port, "--logging.level.io.github.s3lite=TRACE"));
		try (AppProcess app = AppProcess.start(NotesApplication.class, Path.of("target", "secrets-logs", "app.log"),
				List.of(), args)) {
			app.await((line) -> line.contains("Started NotesApplication"), HANG_GUARD);
			NotesHttp http = new NotesHttp(port);
			http.create("a note with a secret nearby");
			app.await((line) -> line.contains("wal segment written"), HANG_GUARD);

			ProcessHandle litestream = app.litestream().get(0);
			String appCommandLine = commandLine(app.pid());
			String litestreamCommandLine = commandLine(litestream.pid());
			assertThat(appCommandLine).contains("NotesApplication").doesNotContain(SECRET);
			assertThat(litestreamCommandLine).contains("replicate").doesNotContain(SECRET);
			Path environ = Path.of("/proc/" + litestream.pid() + "/environ");
			assertThat(Files.readString(environ, StandardCharsets.ISO_8859_1)).as("credentials travel in the environment")
				.contains(SECRET);
			assertOwnerOnly(environ);

			String[] litestreamArgs = litestream.info().arguments().orElseThrow();
			Path config = Path.of(litestreamArgs[List.of(litestreamArgs).indexOf("-config") + 1]);
			assertThat(Files.getPosixFilePermissions(config)).isEqualTo(PosixFilePermissions.fromString("rw-------"));
			assertThat(Files.getPosixFilePermissions(config.getParent()))
				.isEqualTo(PosixFilePermissions.fromString("rwx------"));
			assertThat(Files.readString(config)).contains(BUCKET).doesNotContain(SECRET);

			for (String path : List.of("/actuator", "/actuator/health", "/actuator/info", "/actuator/metrics",
					"/actuator/s3lite", "/actuator/env", "/actuator/configprops", "/api/notes")) {
				HttpResponse<String> response = http.get(path);
				assertThat(response.body()).as(path).doesNotContain(SECRET);
				if (path.equals("/actuator/health")) {
					assertThat(response.body()).as("the health output shows s3lite's details").contains("s3lite");
				}
				if (path.equals("/actuator/env") || path.equals("/actuator/configprops")) {
					assertThat(response.statusCode()).as(path + " is not exposed").isEqualTo(404);
				}
			}
			app.terminate(HANG_GUARD);
			String output = app.output();
			assertThat(output.lines()).as("s3lite logged below INFO")
				.anyMatch((line) -> line.contains("DEBUG") && line.contains("wal segment written"));
			assertThat(output).doesNotContain(SECRET);
			assertNoFileHolds(data, SECRET);
		}
	}

	private static String commandLine(long pid) throws Exception {
		return new String(Files.readAllBytes(Path.of("/proc/" + pid + "/cmdline")), StandardCharsets.UTF_8)
			.replace('\0', ' ');
	}

	private static void assertOwnerOnly(Path file) throws Exception {
		Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(file);
		assertThat(permissions).as(file.toString())
			.doesNotContain(PosixFilePermission.GROUP_READ, PosixFilePermission.OTHERS_READ);
	}

	private static void assertNoFileHolds(Path directory, String secret) throws Exception {
		byte[] needle = secret.getBytes(StandardCharsets.UTF_8);
		try (Stream<Path> files = Files.walk(directory)) {
			for (Path file : files.filter(Files::isRegularFile).toList()) {
				byte[] content = Files.readAllBytes(file);
				assertThat(indexOf(content, needle)).as(file.toString()).isEqualTo(-1);
			}
		}
	}

	private static int indexOf(byte[] haystack, byte[] needle) {
		outer: for (int i = 0; i <= haystack.length - needle.length; i++) {
			for (int j = 0; j < needle.length; j++) {
				if (haystack[i + j] != needle[j]) {
					continue outer;
				}
			}
			return i;
		}
		return -1;
	}

}
