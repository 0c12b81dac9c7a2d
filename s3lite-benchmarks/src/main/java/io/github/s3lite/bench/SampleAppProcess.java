package io.github.s3lite.bench;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.net.HttpURLConnection;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * One start of the packaged sample app (a web application) as its own process: timed from
 * {@link ProcessBuilder#start()} to Spring Boot's "Started … in" line (ready) and to the first HTTP 200 of
 * {@code GET /api/notes}, polled every few milliseconds from this JVM; then stopped with SIGTERM.
 * Properties go through {@code SPRING_APPLICATION_JSON}, never through arguments.
 */
final class SampleAppProcess {

	/** A first answer later than this after "Started" is logged with the app's output. */
	private static final double SLOW_FIRST_ANSWER_MILLIS = 5000;

	private static final Pattern RESTORED = Pattern.compile("Restored \\d+ bytes from .* in (\\d+) ms");

	private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(5);

	private SampleAppProcess() {
	}

	/**
	 * What one start measured.
	 *
	 * @param readyMillis process start → "Started … in"
	 * @param firstOkMillis process start → first HTTP 200
	 * @param restoreMillis the restore's own time from s3lite's log, or NaN
	 * @param output the app's output
	 */
	record Result(double readyMillis, double firstOkMillis, double restoreMillis, String output) {
	}

	/**
	 * Start the app, wait for its first HTTP 200, then stop it gracefully.
	 * @param java the {@code java} executable
	 * @param jvmOptions options before {@code -jar}
	 * @param jar the application jar
	 * @param properties its properties
	 * @param port the HTTP port to poll
	 * @return the measurements
	 */
	static Result run(Path java, List<String> jvmOptions, Path jar, Map<String, Object> properties, int port) {
		List<String> command = new ArrayList<>();
		command.add(java.toString());
		command.addAll(jvmOptions);
		command.add("-jar");
		command.add(jar.toString());
		ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).directory(jar.getParent().toFile());
		builder.environment().put("SPRING_APPLICATION_JSON", json(properties));
		StringBuilder output = new StringBuilder();
		double[] ready = { Double.NaN };
		try {
			long started = System.nanoTime();
			Process process = builder.start();
			Thread reader = new Thread(() -> read(process, output, ready, started), "sample-app-output");
			reader.start();
			double firstOk = pollUntilOk(process, port, started);
			process.toHandle().destroy();
			if (!process.waitFor(30, TimeUnit.MINUTES)) {
				process.destroyForcibly();
				throw new IllegalStateException("The sample app did not stop:\n" + output);
			}
			reader.join();
			if (Double.isNaN(firstOk) || Double.isNaN(ready[0])) {
				throw new IllegalStateException("The sample app did not start (exit " + process.exitValue() + "):\n"
						+ output);
			}
			Matcher restored = RESTORED.matcher(output);
			double restore = restored.find() ? Double.parseDouble(restored.group(1)) : Double.NaN;
			if (Boolean.getBoolean("bench.verbose") || firstOk - ready[0] > SLOW_FIRST_ANSWER_MILLIS) {
				// the app's own log explains a first answer that comes long after "Started"
				Bench.log("sample app: first HTTP 200 %.0f ms after ready; its output:%n%s", firstOk - ready[0], output);
			}
			return new Result(ready[0], firstOk, restore, output.toString());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * Run a command to its end (a training run, the jar extraction) and fail unless it exits 0.
	 * @param command the command
	 * @param directory its working directory
	 * @param properties the application's properties, or an empty map
	 * @return its output
	 */
	static String runToEnd(List<String> command, Path directory, Map<String, Object> properties) {
		ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true).directory(directory.toFile());
		if (!properties.isEmpty()) {
			builder.environment().put("SPRING_APPLICATION_JSON", json(properties));
		}
		try {
			Process process = builder.start();
			String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
			if (process.waitFor() != 0) {
				throw new IllegalStateException(String.join(" ", command) + " failed (exit " + process.exitValue()
						+ "):\n" + output);
			}
			return output;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private static void read(Process process, StringBuilder output, double[] ready, long started) {
		try (BufferedReader reader = new BufferedReader(
				new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
			String line;
			while ((line = reader.readLine()) != null) {
				if (Double.isNaN(ready[0]) && line.contains("Started NotesApplication in")) {
					ready[0] = (System.nanoTime() - started) / 1e6;
				}
				synchronized (output) {
					output.append(line).append('\n');
				}
			}
		}
		catch (IOException ex) {
			// the process is gone
		}
	}

	private static double pollUntilOk(Process process, int port, long started) throws InterruptedException {
		URI uri = URI.create("http://127.0.0.1:" + port + "/api/notes");
		while (process.isAlive()) {
			try {
				HttpURLConnection connection = (HttpURLConnection) uri.toURL().openConnection();
				connection.setConnectTimeout(1000);
				connection.setReadTimeout(60_000);
				int status = connection.getResponseCode();
				connection.getInputStream().readAllBytes();
				connection.disconnect();
				if (status == 200) {
					return (System.nanoTime() - started) / 1e6;
				}
			}
			catch (IOException ex) {
				// not listening yet
			}
			TimeUnit.NANOSECONDS.sleep(POLL_NANOS);
		}
		return Double.NaN;
	}

	private static String json(Map<String, Object> properties) {
		return properties.entrySet()
			.stream()
			.map((entry) -> quote(entry.getKey()) + ":" + quote(String.valueOf(entry.getValue())))
			.collect(Collectors.joining(",", "{", "}"));
	}

	private static String quote(String value) {
		return "\"" + value.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n") + "\"";
	}

}
