package io.github.s3lite.internal.litestream;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.s3lite.internal.config.S3Connection;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * How {@link LitestreamCli} collects a command's output. A tiny shell script stands in for litestream:
 * these tests need a given output, a given exit code and a process that keeps the pipe open, on
 * demand, which the real binary does not offer.
 */
class LitestreamCliTests {

	private static final S3Connection NO_S3 = S3Connection.of(null, null, null, null, null);

	@TempDir
	Path dir;

	/**
	 * A saturated common pool must not cost the output. The child JVM sizes the common pool at 2, as on a
	 * machine with 3 or more cores (with fewer, {@code CompletableFuture} uses a thread per task and the
	 * problem hides), and blocks every worker while the command runs.
	 */
	@Test
	void readsTheOutputOfACommandWhileTheCommonPoolIsSaturated() throws Exception {
		Path script = script("echo 'level=ERROR msg=\"stand-in for litestream\" args='\"$*\"", "exit 3");
		ChildJvm.Result run = ChildJvm.run(List.of("-Djava.util.concurrent.ForkJoinPool.common.parallelism=2"),
				StarvedCommonPoolCliRun.class, script.toString());
		assertThat(run.output()).contains("common pool workers blocked: 2")
			.contains("exit code: 3")
			.contains("output: level=ERROR msg=\"stand-in for litestream\" args=restore");
	}

	/**
	 * A process the command started keeps the pipe open after the command exited. Depending on when
	 * the JDK drains the pipe at the exit, the output is either complete or still open: it must then
	 * be reported with what was read, never returned empty as if the command printed nothing.
	 */
	@Test
	void neverReturnsAnEmptyOutputWhenAProcessItStartedHoldsThePipe() throws Exception {
		Path pid = this.dir.resolve("holder.pid");
		Path script = script("echo 'restoring'", "sleep 8 &", "echo $! > '" + pid + "'", "exit 3");
		try {
			LitestreamCli.Result result = new LitestreamCli(script, NO_S3).run(Duration.ofSeconds(30), "restore");
			assertThat(result.exitCode()).isEqualTo(3);
			assertThat(result.output()).contains("restoring");
		}
		catch (LitestreamException ex) {
			assertThat(ex).hasMessageContaining("litestream restore exited with code 3")
				.hasMessageContaining("output so far: restoring");
		}
		finally {
			ProcessHandle.of(Long.parseLong(Files.readString(pid).strip())).ifPresent(ProcessHandle::destroyForcibly);
		}
	}

	@Test
	void returnsTheExitCodeAndOutputOfACommand() throws Exception {
		Path script = script("echo \"secret is $LITESTREAM_SECRET_ACCESS_KEY\"", "exit 0");
		LitestreamCli.Result result = new LitestreamCli(script, S3Connection.of(null, null, null, "id", "s3cr3t-value"))
			.run(Duration.ofSeconds(30), "version");
		assertThat(result.succeeded()).isTrue();
		assertThat(result.output()).contains("secret is").doesNotContain("s3cr3t-value");
	}

	private Path script(String... lines) throws IOException {
		Path script = this.dir.resolve("litestream");
		Files.writeString(script, "#!/bin/sh\n" + String.join("\n", lines) + "\n");
		Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
		return script;
	}

}
