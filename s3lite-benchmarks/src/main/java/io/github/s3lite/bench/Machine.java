package io.github.s3lite.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.springframework.boot.SpringBootVersion;

import io.github.s3lite.test.IndependentRestore;

/**
 * What the figures were measured on.
 */
final class Machine {

	private Machine() {
	}

	static String cpu() {
		String model = procField("/proc/cpuinfo", "model name");
		return Runtime.getRuntime().availableProcessors() + " cores" + ((model != null) ? ", " + model : "");
	}

	static String memory() {
		String total = procField("/proc/meminfo", "MemTotal");
		if (total == null) {
			return "unknown";
		}
		long kib = Long.parseLong(total.replaceAll("[^0-9]", ""));
		return String.format(java.util.Locale.ROOT, "%.1f GiB", kib / 1048576.0);
	}

	static String load() {
		try {
			String[] parts = Files.readString(Path.of("/proc/loadavg")).split(" ");
			return parts[0] + " " + parts[1] + " " + parts[2];
		}
		catch (IOException ex) {
			return "unknown";
		}
	}

	static String jdk() {
		return System.getProperty("java.vm.name") + " " + System.getProperty("java.runtime.version") + " ("
				+ System.getProperty("java.vendor") + ")";
	}

	static String os() {
		return System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
				+ System.getProperty("os.arch");
	}

	static String springBoot() {
		return SpringBootVersion.getVersion();
	}

	static String litestream() {
		return run(IndependentRestore.binary().toString(), "version");
	}

	static String git(Path directory) {
		return run("git", "-C", directory.toString(), "rev-parse", "--short", "HEAD");
	}

	private static String run(String... command) {
		try {
			Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
			String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
			return (process.waitFor(30, TimeUnit.SECONDS) && process.exitValue() == 0) ? output : "unknown";
		}
		catch (IOException ex) {
			return "unknown";
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return "unknown";
		}
	}

	private static String procField(String file, String name) {
		try {
			for (String line : Files.readAllLines(Path.of(file))) {
				if (line.startsWith(name)) {
					return line.substring(line.indexOf(':') + 1).trim();
				}
			}
		}
		catch (IOException ex) {
			// not Linux
		}
		return null;
	}

}
