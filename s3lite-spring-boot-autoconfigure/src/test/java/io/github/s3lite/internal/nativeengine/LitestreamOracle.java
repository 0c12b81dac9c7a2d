package io.github.s3lite.internal.nativeengine;

import java.io.IOException;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import io.github.s3lite.internal.config.LitestreamOptions;
import io.github.s3lite.internal.config.ReplicaUrl;
import io.github.s3lite.internal.config.S3Connection;
import io.github.s3lite.internal.litestream.LitestreamConfigFile;
import io.github.s3lite.test.IndependentRestore;

/**
 * The real litestream v0.3.13 binary as the oracle of the replica format: {@code litestream restore}
 * and {@code litestream replicate} with a generated configuration file, credentials only in the
 * child's environment ({@code LITESTREAM_ACCESS_KEY_ID}/{@code LITESTREAM_SECRET_ACCESS_KEY}).
 */
final class LitestreamOracle {

	private LitestreamOracle() {
	}

	/**
	 * Restore a replica with {@code litestream restore}.
	 * @param replica the replica
	 * @param s3 the S3 connection
	 * @param output the database file to create
	 * @param work a private directory for the configuration
	 * @return litestream's output
	 */
	static String restore(ReplicaUrl replica, S3Connection s3, Path output, Path work) throws Exception {
		Path database = work.resolve("source.db");
		Path config = LitestreamConfigFile.writeRestore(work.resolve("restore.yml"), database, replica, s3);
		ProcessBuilder builder = new ProcessBuilder(IndependentRestore.binary().toString(), "restore", "-config",
				config.toString(), "-o", output.toString(), database.toString())
			.redirectErrorStream(true);
		credentials(builder.environment(), s3);
		Process process = builder.start();
		String log = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		if (!process.waitFor(5, TimeUnit.MINUTES) || process.exitValue() != 0) {
			throw new IllegalStateException("litestream restore failed (exit " + process.exitValue() + "): " + log);
		}
		return log;
	}

	/**
	 * Start {@code litestream replicate} on a database.
	 * @param database the database, in WAL mode
	 * @param replica the replica
	 * @param s3 the S3 connection
	 * @param minCheckpointPageCount WAL pages after which litestream checkpoints (small: many WAL indexes)
	 * @param work a private directory for the configuration and the log
	 * @return the running process; stop it with {@link #stop(Process)}
	 */
	static Process replicate(Path database, ReplicaUrl replica, S3Connection s3, int minCheckpointPageCount, Path work)
			throws IOException {
		LitestreamOptions options = new LitestreamOptions(null, null, Duration.ofMillis(200), Duration.ofMillis(100),
				Duration.ZERO, Duration.ofHours(24), Duration.ofSeconds(1), minCheckpointPageCount, 0,
				Duration.ofSeconds(30), Duration.ofSeconds(1), false);
		Path config = LitestreamConfigFile.writeReplicate(work.resolve("replicate.yml"), database, replica, s3, options,
				freePort());
		ProcessBuilder builder = new ProcessBuilder(IndependentRestore.binary().toString(), "replicate", "-config",
				config.toString(), "-no-expand-env")
			.redirectErrorStream(true)
			.redirectOutput(work.resolve("litestream.log").toFile());
		credentials(builder.environment(), s3);
		return builder.start();
	}

	/**
	 * Stop litestream with SIGTERM (it uploads once more) and wait for it to exit.
	 * @param process the litestream process
	 */
	static void stop(Process process) throws InterruptedException {
		process.toHandle().destroy();
		if (!process.waitFor(2, TimeUnit.MINUTES)) {
			process.destroyForcibly();
			throw new IllegalStateException("litestream did not stop within 2 minutes of SIGTERM");
		}
	}

	private static void credentials(Map<String, String> environment, S3Connection s3) {
		environment.keySet().removeIf((name) -> name.startsWith("AWS_"));
		if (s3 != null && s3.hasStaticCredentials()) {
			environment.put("LITESTREAM_ACCESS_KEY_ID", s3.accessKeyId());
			environment.put("LITESTREAM_SECRET_ACCESS_KEY", s3.secretAccessKey());
		}
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

	static String log(Path work) throws IOException {
		Path log = work.resolve("litestream.log");
		return Files.exists(log) ? Files.readString(log) : "";
	}

}
