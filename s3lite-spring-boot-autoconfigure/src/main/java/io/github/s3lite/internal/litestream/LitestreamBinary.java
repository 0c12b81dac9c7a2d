package io.github.s3lite.internal.litestream;

import java.nio.file.Path;

/**
 * A litestream executable s3lite runs.
 *
 * @param path absolute path of the executable
 * @param version the version it reports, e.g. {@code v0.3.13}
 * @param source where it came from: the property, the bundled binary or the PATH
 */
public record LitestreamBinary(Path path, String version, Source source) {

	/**
	 * Where a binary was found.
	 */
	public enum Source {

		/** {@code s3lite.litestream.binary}. */
		PROPERTY,

		/** The binary bundled for this platform, extracted to the cache directory. */
		BUNDLED,

		/** {@code litestream} on the PATH. */
		PATH

	}

}
