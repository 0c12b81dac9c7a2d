package io.github.s3lite.internal.litestream;

import java.io.File;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.s3lite.internal.config.S3Connection;

/**
 * Finds the litestream binary to run, in this order: {@code s3lite.litestream.binary}; the binary
 * bundled for this platform; {@code litestream} on the PATH. When none is usable, fails with a message
 * saying what works on this platform (a litestream v0.3.x and where to get it), and when the binary
 * found is not litestream v0.3.x.
 */
public final class LitestreamBinaryResolver {

	private static final Logger logger = LoggerFactory.getLogger(LitestreamBinaryResolver.class);

	private static final S3Connection NO_CREDENTIALS = S3Connection.of(null, null, null, null, null);

	private static final String BUNDLED_PLATFORMS = "linux-x86_64";

	private static final String RELEASE_PAGE = "https://github.com/benbjohnson/litestream/releases/tag/v0.3.13";

	private final ClassLoader classLoader;

	private final Platform platform;

	private final String pathVariable;

	private final Path configured;

	private final Path cacheDir;

	private LitestreamBinary resolved;

	/**
	 * Create a resolver for this JVM's platform and PATH.
	 * @param classLoader the class loader holding the bundled binaries
	 * @param configured {@code s3lite.litestream.binary}, or {@code null}
	 * @param cacheDir where to extract the bundled binary
	 */
	public LitestreamBinaryResolver(ClassLoader classLoader, Path configured, Path cacheDir) {
		this(classLoader, Platform.current(), System.getenv("PATH"), configured, cacheDir);
	}

	LitestreamBinaryResolver(ClassLoader classLoader, Platform platform, String pathVariable, Path configured,
			Path cacheDir) {
		this.classLoader = classLoader;
		this.platform = platform;
		this.pathVariable = pathVariable;
		this.configured = configured;
		this.cacheDir = cacheDir;
	}

	/**
	 * Return whether this resolver looks for the binary the given settings name.
	 * @param configured {@code s3lite.litestream.binary}, or {@code null}
	 * @param cacheDir where to extract the bundled binary
	 * @return whether both match
	 */
	public boolean resolvesFor(Path configured, Path cacheDir) {
		return Objects.equals(this.configured, configured) && Objects.equals(this.cacheDir, cacheDir);
	}

	/**
	 * Resolve the binary (verifying the bundled binary's SHA-256) and ask it for its version, once; later
	 * calls return the same binary. One resolver serves an application context: the start-up warm-up,
	 * the early restore and the engine.
	 * @return the binary
	 * @throws LitestreamException if no usable litestream v0.3.x is found
	 */
	public synchronized LitestreamBinary resolve() {
		if (this.resolved == null) {
			LitestreamBinary binary = locate(this.configured, this.cacheDir);
			logger.info("Using litestream {} ({}) at {}", binary.version(), describe(binary.source()), binary.path());
			this.resolved = binary;
		}
		return this.resolved;
	}

	private LitestreamBinary locate(Path configured, Path cacheDir) {
		if (configured != null) {
			Path path = configured.toAbsolutePath();
			if (!Files.isRegularFile(path)) {
				throw new LitestreamException("s3lite.litestream.binary points to " + path
						+ ", which does not exist. Point it at a litestream v0.3.x executable (" + whereToGetIt()
						+ "), or remove the property to use " + alternatives());
			}
			if (!Files.isExecutable(path)) {
				throw new LitestreamException("s3lite.litestream.binary points to " + path
						+ ", which is not executable. Run 'chmod +x " + path + "' or point it at another litestream.");
			}
			return withVersion(path, LitestreamBinary.Source.PROPERTY);
		}
		BundledLitestreamBinary bundled = new BundledLitestreamBinary(this.classLoader, this.platform);
		if (bundled.isAvailable()) {
			return withVersion(bundled.extract(cacheDir), LitestreamBinary.Source.BUNDLED);
		}
		Path onPath = findOnPath();
		if (onPath != null) {
			return withVersion(onPath, LitestreamBinary.Source.PATH);
		}
		throw new LitestreamException(notFoundMessage());
	}

	private String notFoundMessage() {
		String bundledPart = bundlesBinaries() ? "s3lite bundles litestream for " + BUNDLED_PLATFORMS + " only"
				: "the bundled binary is not on the classpath (s3lite-litestream-binaries, built only for "
						+ BUNDLED_PLATFORMS + ")";
		return "No litestream binary for " + this.platform + ": " + bundledPart
				+ ", and there is no 'litestream' on the PATH. s3lite needs litestream v0.3.x (it refuses v0.5.x, "
				+ "the version Homebrew and other package managers install): " + whereToGetIt()
				+ ", then set s3lite.litestream.binary to that executable or put it on the PATH as 'litestream'. "
				+ "Or set s3lite.engine=native (or auto), which needs no binary.";
	}

	private String whereToGetIt() {
		return "download the v0.3.13 release for " + this.platform.releaseName() + " from " + RELEASE_PAGE;
	}

	private String alternatives() {
		BundledLitestreamBinary bundled = new BundledLitestreamBinary(this.classLoader, this.platform);
		return (bundled.isAvailable() ? "the bundled binary (" + this.platform + ") or " : "")
				+ "a litestream v0.3.x named 'litestream' on the PATH.";
	}

	private boolean bundlesBinaries() {
		return this.classLoader.getResource(BundledLitestreamBinary.RESOURCE_ROOT + "binaries.properties") != null;
	}

	private Path findOnPath() {
		if (this.pathVariable == null) {
			return null;
		}
		for (String entry : this.pathVariable.split(File.pathSeparator)) {
			if (entry.isBlank()) {
				continue;
			}
			try {
				Path candidate = Path.of(entry, "litestream");
				if (Files.isRegularFile(candidate) && Files.isExecutable(candidate)) {
					return candidate.toAbsolutePath();
				}
			}
			catch (InvalidPathException ex) {
				// not a usable PATH entry
			}
		}
		return null;
	}

	private LitestreamBinary withVersion(Path path, LitestreamBinary.Source source) {
		LitestreamCli.Result result = new LitestreamCli(path, NO_CREDENTIALS).run(Duration.ofSeconds(30),
				"version");
		String version = result.output().strip();
		if (!result.succeeded()) {
			throw new LitestreamException("'" + path + " version' failed (exit " + result.exitCode() + "): " + version
					+ ". Check that it is a litestream build for " + this.platform + ".");
		}
		if (!version.startsWith("v0.3.")) {
			throw new LitestreamException(path + " reports version '" + version + "', but s3lite drives litestream "
					+ "v0.3.x (v0.3.13 is bundled for " + BUNDLED_PLATFORMS + "). Point s3lite.litestream.binary at a v0.3.x "
					+ "build (" + whereToGetIt() + ").");
		}
		return new LitestreamBinary(path, version, source);
	}

	private static String describe(LitestreamBinary.Source source) {
		return switch (source) {
			case PROPERTY -> "from s3lite.litestream.binary";
			case BUNDLED -> "bundled, SHA-256 verified";
			case PATH -> "from the PATH";
		};
	}

}
