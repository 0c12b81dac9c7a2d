package io.github.s3lite.autoconfigure;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import io.github.s3lite.testapp.S3liteApps;
import io.github.s3lite.datasource.ReplicatingDataSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The graceful-shutdown flush and {@code sync()} do not wait for litestream when there is nothing to
 * wait for: an idle database whose replica is in sync, or a database whose directory is gone.
 */
@ExtendWith(OutputCaptureExtension.class)
class ShutdownFlushTests {

	@TempDir
	Path dir;

	private ApplicationContextRunner app(String... properties) {
		return S3liteApps.withJdbc()
			.withPropertyValues("s3lite.path=" + this.dir.resolve("data/app.sqlite3"),
					"s3lite.backup-to=file:" + this.dir.resolve("replica"))
			.withPropertyValues(properties);
	}

	@Test
	void anIdleDatabaseInSyncWithItsReplicaIsFlushedWithoutWaitingForLitestreamToLookAgain(CapturedOutput output) {
		// litestream looks at the database every 3 s: waiting for two of its looks would outlast both bounds
		app("s3lite.litestream.monitor-interval=3s", "s3lite.shutdown-sync-timeout=2s").run((context) -> {
			ReplicatingDataSource dataSource = context.getBean(ReplicatingDataSource.class);
			await().atMost(Duration.ofSeconds(20)).until(() -> dataSource.status().inSync());
			dataSource.sync(Duration.ofSeconds(2));
		});
		assertThat(output).contains("Final flush to the replica completed").doesNotContain("Final flush to file:");
	}

	@Test
	void aDatabaseWhoseDirectoryIsGoneMakesTheFlushGiveUpAtOnceWithOneLine(CapturedOutput output) {
		app("s3lite.shutdown-sync-timeout=30s").run((context) -> {
			ReplicatingDataSource dataSource = context.getBean(ReplicatingDataSource.class);
			await().atMost(Duration.ofSeconds(20)).until(() -> dataSource.status().inSync());
			deleteRecursively(this.dir.resolve("data"));
		});
		assertThat(output).containsOnlyOnce("Final flush skipped: The database " + this.dir.resolve("data/app.sqlite3")
				+ " no longer exists").doesNotContain("Final flush to file:");
	}

	private static void deleteRecursively(Path directory) throws Exception {
		try (Stream<Path> files = Files.walk(directory)) {
			for (Path file : files.sorted(Comparator.reverseOrder()).toList()) {
				Files.deleteIfExists(file);
			}
		}
	}

}
