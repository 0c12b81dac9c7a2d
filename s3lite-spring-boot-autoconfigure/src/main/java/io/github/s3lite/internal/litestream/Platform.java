package io.github.s3lite.internal.litestream;

import java.util.Locale;

/**
 * The operating system and architecture of this JVM, named as the bundled binaries are
 * ({@code linux-x86_64}, {@code linux-aarch64}, {@code darwin-aarch64}, ...).
 *
 * @param os the operating system
 * @param arch the architecture
 */
record Platform(String os, String arch) {

	static Platform current() {
		return of(System.getProperty("os.name", ""), System.getProperty("os.arch", ""));
	}

	static Platform of(String osName, String osArch) {
		String name = osName.toLowerCase(Locale.ROOT);
		String os = name.startsWith("linux") ? "linux" : (name.startsWith("mac") || name.startsWith("darwin"))
				? "darwin" : name.startsWith("windows") ? "windows" : name.replace(' ', '_');
		String archName = osArch.toLowerCase(Locale.ROOT);
		String arch = switch (archName) {
			case "amd64", "x86_64", "x64" -> "x86_64";
			case "aarch64", "arm64" -> "aarch64";
			default -> archName;
		};
		return new Platform(os, arch);
	}

	/**
	 * Return this platform as litestream's release archives name it ({@code darwin-arm64},
	 * {@code linux-amd64}, ...).
	 * @return the release name
	 */
	String releaseName() {
		String arch = switch (this.arch) {
			case "x86_64" -> "amd64";
			case "aarch64" -> "arm64";
			default -> this.arch;
		};
		return this.os + "-" + arch;
	}

	@Override
	public String toString() {
		return this.os + "-" + this.arch;
	}

}
