package io.github.s3lite.litestream;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The litestream binaries resolved in this JVM, so that a start-up resolves its binary once although
 * several parts need it (the start-up warm-up, the early restore, the engine): resolving checks the
 * bundled binary's SHA-256 and runs {@code litestream version}, about half a second on a cold JVM. A
 * resolution is reused only while its executable keeps the size, modification time and file identity it
 * had when it was checked; anything else resolves (and verifies) again. Failures are not kept. Callers
 * resolving the same inputs at once wait for one resolution.
 */
final class ResolvedBinaries {

	private static final Map<Inputs, Object> locks = new ConcurrentHashMap<>();

	private static final Map<Inputs, Resolution> resolutions = new ConcurrentHashMap<>();

	private ResolvedBinaries() {
	}

	/**
	 * Return the binary resolved earlier from the same inputs if its file is unchanged, else resolve it.
	 * @param inputs what the resolution depends on
	 * @param resolver resolves and verifies the binary
	 * @return the binary
	 */
	static LitestreamBinary resolve(Inputs inputs, Supplier<LitestreamBinary> resolver) {
		synchronized (locks.computeIfAbsent(inputs, (key) -> new Object())) {
			Resolution earlier = resolutions.get(inputs);
			if (earlier != null && earlier.stillDescribes()) {
				return earlier.binary();
			}
			LitestreamBinary binary = resolver.get();
			Resolution resolution = Resolution.of(binary);
			if (resolution != null) {
				resolutions.put(inputs, resolution);
			}
			return binary;
		}
	}

	/**
	 * What a resolution depends on.
	 *
	 * @param platform the platform
	 * @param pathVariable the PATH searched
	 * @param configured {@code s3lite.litestream.binary}, or {@code null}
	 * @param cacheDir where the bundled binary is extracted
	 * @param classLoader the class loader holding the bundled binary
	 */
	record Inputs(Platform platform, String pathVariable, Path configured, Path cacheDir, ClassLoader classLoader) {

	}

	private record Resolution(LitestreamBinary binary, long size, FileTime modified, Object fileKey) {

		static Resolution of(LitestreamBinary binary) {
			try {
				BasicFileAttributes attributes = Files.readAttributes(binary.path(), BasicFileAttributes.class);
				return new Resolution(binary, attributes.size(), attributes.lastModifiedTime(), attributes.fileKey());
			}
			catch (IOException ex) {
				return null;
			}
		}

		boolean stillDescribes() {
			Resolution now = of(this.binary);
			return now != null && now.size == this.size && now.modified.equals(this.modified)
					&& Objects.equals(now.fileKey, this.fileKey) && Files.isExecutable(this.binary.path());
		}

	}

}
