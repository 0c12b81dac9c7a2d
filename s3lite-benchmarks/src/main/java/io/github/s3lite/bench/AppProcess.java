package io.github.s3lite.bench;

import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import io.github.s3lite.bench.app.BenchApplication;

/**
 * Starts {@link BenchApplication} in a new JVM and times it from {@link ProcessBuilder#start()} to the
 * line it prints when ready. Properties go through {@code SPRING_APPLICATION_JSON} in the child's
 * environment, never through its arguments.
 */
final class AppProcess {

	/**
	 * Classpath entries the application does not need: the benchmark harness and the S3 server (the AWS
	 * SDK stays: the native engine uses it).
	 */
	private static final List<String> HARNESS = List.of("/org/openjdk/jmh/", "/net/sf/jopt-simple/",
			"/org/apache/commons/commons-math3/", "/org/gaul/", "/org/apache/jclouds/",
			"/org/eclipse/jetty/", "s3lite-test-support");

	private static final Pattern STARTED = Pattern.compile("Started BenchApplication in ([0-9.]+) seconds");

	private AppProcess() {
	}

	/**
	 * The outcome of one start.
	 *
	 * @param readyMillis milliseconds from process start to the ready line
	 * @param contextMillis Spring Boot's own "Started … in" time (context refresh, which includes the
	 * restore), or NaN
	 * @param rows the row count the application printed, or -1
	 * @param exitCode the exit code
	 * @param output the application's output
	 */
	record Result(double readyMillis, double contextMillis, long rows, int exitCode, String output) {
	}

	/**
	 * Run the application until it exits by itself ({@code bench.exit=true} is added).
	 * @param properties the application's properties
	 * @return the result
	 */
	static Result run(Map<String, Object> properties) {
		Map<String, Object> all = new java.util.LinkedHashMap<>(properties);
		all.put("bench.exit", "true");
		ProcessBuilder builder = new ProcessBuilder(javaCommand()).redirectErrorStream(true);
		builder.environment().put("SPRING_APPLICATION_JSON", json(all));
		StringBuilder output = new StringBuilder();
		double ready = Double.NaN;
		long rows = -1;
		try {
			long started = System.nanoTime();
			Process process = builder.start();
			try (BufferedReader reader = new BufferedReader(
					new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
				String line;
				while ((line = reader.readLine()) != null) {
					if (Double.isNaN(ready) && line.startsWith(BenchApplication.READY)) {
						ready = (System.nanoTime() - started) / 1e6;
					}
					else if (line.startsWith(BenchApplication.ROWS)) {
						rows = Long.parseLong(line.substring(BenchApplication.ROWS.length()).trim());
					}
					output.append(line).append('\n');
				}
			}
			if (!process.waitFor(30, TimeUnit.MINUTES)) {
				process.destroyForcibly();
				throw new IllegalStateException("The application did not exit:\n" + output);
			}
			if (Double.isNaN(ready) || process.exitValue() != 0) {
				throw new IllegalStateException(
						"The application failed (exit " + process.exitValue() + "):\n" + output);
			}
			if (Boolean.getBoolean("bench.verbose")) {
				System.out.print(output);
			}
			Matcher startedIn = STARTED.matcher(output);
			double context = startedIn.find() ? Double.parseDouble(startedIn.group(1)) * 1000 : Double.NaN;
			return new Result(ready, context, rows, process.exitValue(), output.toString());
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * Return the command that starts {@link BenchApplication} in a new JVM.
	 * @return the command
	 */
	static List<String> javaCommand() {
		List<String> command = new ArrayList<>();
		command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
		command.add("-cp");
		command.add(applicationClasspath());
		command.add(BenchApplication.class.getName());
		return command;
	}

	private static String applicationClasspath() {
		return List.of(System.getProperty("java.class.path").split(File.pathSeparator))
			.stream()
			.filter((entry) -> HARNESS.stream().noneMatch((part) -> entry.replace('\\', '/').contains(part)))
			.collect(Collectors.joining(File.pathSeparator));
	}

	static String json(Map<String, Object> properties) {
		return properties.entrySet()
			.stream()
			.map((entry) -> quote(entry.getKey()) + ":" + quote(String.valueOf(entry.getValue())))
			.collect(Collectors.joining(",", "{", "}"));
	}

	private static String quote(String value) {
		StringBuilder quoted = new StringBuilder("\"");
		for (char c : value.toCharArray()) {
			switch (c) {
				case '"' -> quoted.append("\\\"");
				case '\\' -> quoted.append("\\\\");
				case '\n' -> quoted.append("\\n");
				default -> quoted.append(c);
			}
		}
		return quoted.append('"').toString();
	}

}
