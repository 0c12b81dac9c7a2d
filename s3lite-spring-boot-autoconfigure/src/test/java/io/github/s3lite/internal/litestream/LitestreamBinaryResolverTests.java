package io.github.s3lite.internal.litestream;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Resolution of the litestream binary: property, bundled binary, PATH, or a clear failure.
 */
class LitestreamBinaryResolverTests {

	private static final Platform LINUX = new Platform("linux", "x86_64");

	private static final ClassLoader NOTHING_BUNDLED = new ClassLoader(null) {
	};

	@TempDir
	Path dir;

	@Test
	void usesTheBundledBinaryAndReportsItsVersion() {
		LitestreamBinary binary = new LitestreamBinaryResolver(getClass().getClassLoader(), LINUX, "", null,
				this.dir.resolve("cache"))
			.resolve();
		assertThat(binary.source()).isEqualTo(LitestreamBinary.Source.BUNDLED);
		assertThat(binary.version()).isEqualTo("v0.3.13");
		assertThat(binary.path()).startsWith(this.dir.resolve("cache"));
	}

	@Test
	void concurrentStartsExtractOneIntactBinary() throws Exception {
		Path cache = this.dir.resolve("cache");
		ExecutorService executor = Executors.newFixedThreadPool(4);
		try {
			List<Future<Path>> results = new ArrayList<>();
			for (int i = 0; i < 8; i++) {
				results.add(executor.submit(() -> new BundledLitestreamBinary(getClass().getClassLoader(), LINUX)
					.extract(cache)));
			}
			Path first = results.get(0).get();
			for (Future<Path> result : results) {
				assertThat(result.get()).isEqualTo(first);
			}
			assertThat(Sha256.of(first))
				.isEqualTo("bbd8b9baa5bd9ae35318bececace384247b71fed4269a3e3cb8a8ac3f6c957bb");
			try (var files = Files.list(first.getParent())) {
				assertThat(files.map((file) -> file.getFileName().toString())).containsExactly("litestream");
			}
			assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(first.getParent())))
				.isEqualTo("rwx------");
		}
		finally {
			executor.shutdownNow();
		}
	}

	@Test
	void aTamperedCachedBinaryIsReplaced() throws Exception {
		Path cache = this.dir.resolve("cache");
		BundledLitestreamBinary bundled = new BundledLitestreamBinary(getClass().getClassLoader(), LINUX);
		Path binary = bundled.extract(cache);
		Files.writeString(binary, "#!/bin/sh\necho evil\n");
		assertThat(bundled.extract(cache)).isEqualTo(binary);
		assertThat(Sha256.of(binary)).isEqualTo("bbd8b9baa5bd9ae35318bececace384247b71fed4269a3e3cb8a8ac3f6c957bb");
	}

	@Test
	void thePropertyWinsOverTheBundledBinary() {
		Path bundled = new BundledLitestreamBinary(getClass().getClassLoader(), LINUX).extract(this.dir.resolve("a"));
		LitestreamBinary binary = new LitestreamBinaryResolver(getClass().getClassLoader(), LINUX, "", bundled,
				this.dir.resolve("b"))
			.resolve();
		assertThat(binary.source()).isEqualTo(LitestreamBinary.Source.PROPERTY);
		assertThat(binary.path()).isEqualTo(bundled);
		assertThat(this.dir.resolve("b")).doesNotExist();
	}

	@Test
	void fallsBackToThePathWhenNothingIsBundledForThePlatform() throws Exception {
		Path bin = Files.createDirectories(this.dir.resolve("bin"));
		Files.copy(new BundledLitestreamBinary(getClass().getClassLoader(), LINUX).extract(this.dir.resolve("c")),
				bin.resolve("litestream"));
		LitestreamBinary binary = new LitestreamBinaryResolver(NOTHING_BUNDLED, LINUX, "/nonexistent:" + bin, null,
				this.dir.resolve("cache"))
			.resolve();
		assertThat(binary.source()).isEqualTo(LitestreamBinary.Source.PATH);
		assertThat(binary.path()).isEqualTo(bin.resolve("litestream"));
	}

	@Test
	void onAPlatformWithoutABundledBinaryTheFailureSaysExactlyWhatWorks() {
		assertThatExceptionOfType(LitestreamException.class)
			.isThrownBy(() -> new LitestreamBinaryResolver(getClass().getClassLoader(), new Platform("darwin", "aarch64"),
					this.dir.toString(), null, this.dir.resolve("cache"))
				.resolve())
			.satisfies((ex) -> assertThat(ex.getMessage()).contains("darwin-aarch64", "bundles litestream for linux-x86_64 only",
					"no 'litestream' on the PATH", "v0.3.x", "refuses v0.5.x",
					"https://github.com/benbjohnson/litestream/releases/tag/v0.3.13", "darwin-arm64",
					"set s3lite.litestream.binary", "Or set s3lite.engine=native (or auto), which needs no binary")
				.doesNotContain("brew install", "unset", "add s3lite-litestream-binaries"));
	}

	@Test
	void withoutTheBinariesArtifactTheFailureSaysItIsMissing() {
		assertThatExceptionOfType(LitestreamException.class)
			.isThrownBy(() -> new LitestreamBinaryResolver(NOTHING_BUNDLED, new Platform("linux", "aarch64"),
					this.dir.toString(), null, this.dir.resolve("cache"))
				.resolve())
			.withMessageContaining("the bundled binary is not on the classpath")
			.withMessageContaining("linux-arm64");
	}

	@Test
	void aPropertyPointingNowhereOnAPlatformWithoutABundledBinaryOffersOnlyThePath() {
		assertThatExceptionOfType(LitestreamException.class)
			.isThrownBy(() -> new LitestreamBinaryResolver(getClass().getClassLoader(), new Platform("darwin", "aarch64"),
					"", this.dir.resolve("missing"), this.dir.resolve("cache"))
				.resolve())
			.satisfies((ex) -> assertThat(ex.getMessage()).contains("s3lite.litestream.binary points to",
					"releases/tag/v0.3.13", "'litestream' on the PATH")
				.doesNotContain("bundled binary"));
	}

	@Test
	void failsClearlyWhenThePropertyPointsNowhere() {
		assertThatExceptionOfType(LitestreamException.class)
			.isThrownBy(() -> new LitestreamBinaryResolver(NOTHING_BUNDLED, LINUX, "", this.dir.resolve("missing"),
					this.dir.resolve("cache"))
				.resolve())
			.withMessageContaining("s3lite.litestream.binary")
			.withMessageContaining("does not exist");
	}

	@Test
	void failsClearlyWhenThePropertyPointsAtANonExecutableFile() throws Exception {
		Path file = Files.writeString(this.dir.resolve("litestream"), "not a binary");
		assertThatExceptionOfType(LitestreamException.class)
			.isThrownBy(() -> new LitestreamBinaryResolver(NOTHING_BUNDLED, LINUX, "", file, this.dir.resolve("cache"))
				.resolve())
			.withMessageContaining("not executable")
			.withMessageContaining("chmod +x");
	}

	@Test
	void rejectsABinaryThatIsNotLitestreamV03() throws Exception {
		Path fake = Files.writeString(this.dir.resolve("litestream"), "#!/bin/sh\necho v0.5.2\n");
		Files.setPosixFilePermissions(fake, PosixFilePermissions.fromString("rwx------"));
		assertThatExceptionOfType(LitestreamException.class)
			.isThrownBy(() -> new LitestreamBinaryResolver(NOTHING_BUNDLED, LINUX, "", fake, this.dir.resolve("cache"))
				.resolve())
			.withMessageContaining("v0.5.2")
			.withMessageContaining("v0.3.x");
	}

	@Test
	void namesPlatformsTheWayTheBinariesAreNamed() {
		assertThat(Platform.of("Linux", "amd64")).hasToString("linux-x86_64");
		assertThat(Platform.of("Mac OS X", "aarch64")).hasToString("darwin-aarch64");
		assertThat(Platform.of("Linux", "arm64")).hasToString("linux-aarch64");
	}

}
