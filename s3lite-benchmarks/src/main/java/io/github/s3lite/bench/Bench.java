package io.github.s3lite.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Small helpers shared by the benchmarks: progress lines and scratch-directory cleanup.
 */
final class Bench {

	private Bench() {
	}

	static void log(String format, Object... args) {
		System.out.println("[bench " + LocalTime.now(ZoneOffset.UTC).format(DateTimeFormatter.ofPattern("HH:mm:ss"))
				+ "] " + String.format(java.util.Locale.ROOT, format, args));
		System.out.flush();
	}

	static void deleteRecursively(Path path) {
		if (!Files.exists(path)) {
			return;
		}
		try (Stream<Path> walk = Files.walk(path)) {
			for (Path file : (Iterable<Path>) walk.sorted(Comparator.reverseOrder())::iterator) {
				Files.deleteIfExists(file);
			}
		}
		catch (IOException ex) {
			log("could not delete %s: %s", path, ex.getMessage());
		}
	}

}
