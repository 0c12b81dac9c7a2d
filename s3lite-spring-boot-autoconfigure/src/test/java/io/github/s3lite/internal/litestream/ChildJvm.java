package io.github.s3lite.internal.litestream;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs a {@code main} class of the test classpath in a fresh JVM, for what a test JVM cannot show: JVM
 * exit hooks, or a JVM-wide setting (such as the common pool's size) that is fixed once read.
 */
final class ChildJvm {

	private ChildJvm() {
	}

	/**
	 * Run a main class and wait for it to exit.
	 * @param jvmOptions options for the JVM, such as system properties
	 * @param main the class whose {@code main} runs
	 * @param arguments its arguments
	 * @return its exit code and its output (standard output and error)
	 */
	static Result run(List<String> jvmOptions, Class<?> main, String... arguments) throws IOException,
			InterruptedException {
		List<String> command = new ArrayList<>();
		command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
		command.addAll(jvmOptions);
		command.add("-cp");
		command.add(System.getProperty("java.class.path"));
		command.add(main.getName());
		command.addAll(List.of(arguments));
		Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
		process.getOutputStream().close();
		String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
		if (!process.waitFor(Duration.ofMinutes(1).toMillis(), TimeUnit.MILLISECONDS)) {
			process.destroyForcibly();
			throw new IllegalStateException("The child JVM running " + main.getName() + " did not exit: " + output);
		}
		return new Result(process.exitValue(), output);
	}

	record Result(int exitCode, String output) {
	}

}
