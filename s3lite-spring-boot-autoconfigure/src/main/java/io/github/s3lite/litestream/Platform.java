package io.github.s3lite.litestream;

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

	String installHint() {
		return switch (this.os) {
			case "darwin" -> "install it with 'brew install litestream'";
			case "linux" -> "install the litestream v0.3.13 release for linux-" + this.arch
					+ " (a .deb or tarball from the litestream releases page)";
			default -> "install a litestream v0.3.13 build for " + this;
		};
	}

	@Override
	public String toString() {
		return this.os + "-" + this.arch;
	}

}
