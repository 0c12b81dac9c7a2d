package io.github.s3lite.litestream;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * A start-up resolves its litestream binary once, however many parts ask, and again whenever the
 * executable changed.
 */
class ResolvedBinariesTests {

	private static final Platform LINUX = new Platform("linux", "x86_64");

	@TempDir
	Path dir;

	private final AtomicInteger resolutions = new AtomicInteger();

	@Test
	void theSameInputsReuseTheResolvedBinaryWhileItsFileIsUnchanged() throws Exception {
		Path executable = executable("litestream", "#!/bin/sh\necho v0.3.13\n");
		ResolvedBinaries.Inputs inputs = inputs();
		LitestreamBinary first = ResolvedBinaries.resolve(inputs, () -> resolved(executable));
		LitestreamBinary second = ResolvedBinaries.resolve(inputs, () -> resolved(executable));
		assertThat(second).isEqualTo(first);
		assertThat(this.resolutions).hasValue(1);
	}

	@Test
	void aChangedExecutableIsResolvedAndVerifiedAgain() throws Exception {
		Path executable = executable("litestream", "#!/bin/sh\necho v0.3.13\n");
		ResolvedBinaries.Inputs inputs = inputs();
		ResolvedBinaries.resolve(inputs, () -> resolved(executable));
		Files.writeString(executable, "#!/bin/sh\necho something else entirely\n");
		ResolvedBinaries.resolve(inputs, () -> resolved(executable));
		assertThat(this.resolutions).hasValue(2);
	}

	@Test
	void aFailedResolutionIsNotKept() throws Exception {
		Path executable = executable("litestream", "#!/bin/sh\necho v0.3.13\n");
		ResolvedBinaries.Inputs inputs = inputs();
		assertThatIllegalStateException().isThrownBy(() -> ResolvedBinaries.resolve(inputs, () -> {
			this.resolutions.incrementAndGet();
			throw new IllegalStateException("no binary yet");
		}));
		ResolvedBinaries.resolve(inputs, () -> resolved(executable));
		assertThat(this.resolutions).hasValue(2);
	}

	@Test
	void concurrentCallersWaitForOneResolution() throws Exception {
		Path executable = executable("litestream", "#!/bin/sh\necho v0.3.13\n");
		ResolvedBinaries.Inputs inputs = inputs();
		CountDownLatch resolving = new CountDownLatch(1);
		CountDownLatch release = new CountDownLatch(1);
		ExecutorService executor = Executors.newFixedThreadPool(2);
		try {
			Future<LitestreamBinary> first = executor.submit(() -> ResolvedBinaries.resolve(inputs, () -> {
				resolving.countDown();
				await(release);
				return resolved(executable);
			}));
			assertThat(resolving.await(10, TimeUnit.SECONDS)).isTrue();
			Future<LitestreamBinary> second = executor.submit(() -> ResolvedBinaries.resolve(inputs,
					() -> resolved(executable)));
			release.countDown();
			assertThat(second.get(10, TimeUnit.SECONDS)).isEqualTo(first.get(10, TimeUnit.SECONDS));
			assertThat(this.resolutions).hasValue(1);
		}
		finally {
			executor.shutdownNow();
		}
	}

	@Test
	void aResolverDoesNotReuseABinaryThatWasReplacedSinceAnotherResolvedIt() throws Exception {
		Path executable = executable("litestream", "#!/bin/sh\necho v0.3.13\n");
		Path cache = this.dir.resolve("cache");
		LitestreamBinary first = new LitestreamBinaryResolver(getClass().getClassLoader(), LINUX, null, executable,
				cache).resolve();
		assertThat(first.version()).isEqualTo("v0.3.13");
		Files.writeString(executable, "#!/bin/sh\necho v0.5.2\n");
		assertThatExceptionOfType(LitestreamException.class)
			.isThrownBy(() -> new LitestreamBinaryResolver(getClass().getClassLoader(), LINUX, null, executable, cache)
				.resolve())
			.withMessageContaining("reports version 'v0.5.2'");
	}

	private ResolvedBinaries.Inputs inputs() {
		return new ResolvedBinaries.Inputs(LINUX, this.dir.toString(), this.dir.resolve("litestream"),
				this.dir.resolve("cache"), getClass().getClassLoader());
	}

	private LitestreamBinary resolved(Path executable) {
		this.resolutions.incrementAndGet();
		return new LitestreamBinary(executable, "v0.3.13", LitestreamBinary.Source.PROPERTY);
	}

	private Path executable(String name, String content) throws Exception {
		Path file = this.dir.resolve(name);
		Files.writeString(file, content);
		Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rwx------"));
		return file;
	}

	private static void await(CountDownLatch latch) {
		try {
			latch.await(10, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
