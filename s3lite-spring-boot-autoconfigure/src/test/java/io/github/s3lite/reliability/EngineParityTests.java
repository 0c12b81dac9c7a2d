package io.github.s3lite.reliability;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;

import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.jdbc.core.JdbcTemplate;

import io.github.s3lite.datasource.ReplicatingDataSource;
import io.github.s3lite.replication.ReplicationException;
import io.github.s3lite.replication.ReplicationStatus;
import io.github.s3lite.test.IndependentRestore;
import io.github.s3lite.test.S3ProxyServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * The same reliability scenarios against every engine ({@code s3lite.engine=litestream|native}); a
 * fresh restore is always made by the real {@code litestream restore} v0.3.13. The other scenarios are
 * parameterized in their own classes: {@link S3OutageTests}, {@link BlackholeShutdownTests},
 * {@link ConcurrencyTests}, {@link BadInputMatrixTests}, and {@link SaturatingWriterTests} (native only).
 */
class EngineParityTests {

	private static final String BUCKET = "parity";

	@RegisterExtension
	static final S3ProxyServer s3 = S3ProxyServer.withBucket(BUCKET);

	@TempDir
	Path dir;

	private ApplicationContextRunner app(String engine, String prefix) {
		return ReplicatedApp.runner(this.dir.resolve("data/app.sqlite3"), "s3://" + BUCKET + "/" + prefix, s3.endpoint())
			.withPropertyValues("s3lite.engine=" + engine);
	}

	@ParameterizedTest
	@ValueSource(strings = { "litestream", "native" })
	void aFreshRestoreAfterSyncHasEveryRow(String engine) {
		String prefix = "round-trip-" + engine;
		app(engine, prefix).run((context) -> {
			ReplicatingDataSource dataSource = context.getBean(ReplicatingDataSource.class);
			ReplicatedApp.insert(context.getBean(JdbcTemplate.class), 1, 100);
			dataSource.sync(ReplicatedApp.SYNC_TIMEOUT);
			ReplicationStatus status = dataSource.status();
			assertThat(status.engine()).isEqualTo(engine);
			assertThat(status.inSync()).isTrue();
			Path restored = IndependentRestore.fromS3(s3, BUCKET, prefix, this.dir.resolve("check.db"));
			assertThat(IndependentRestore.integrityCheck(restored)).isEqualTo("ok");
			assertThat(IndependentRestore.count(restored, "items")).isEqualTo(100);
		});
	}

	@ParameterizedTest
	@ValueSource(strings = { "litestream", "native" })
	void aGracefulStopWithoutSyncKeepsEveryRowAndTheNextStartContinuesTheGeneration(String engine) {
		String prefix = "graceful-" + engine;
		String[] generation = new String[1];
		app(engine, prefix).run((context) -> {
			ReplicatedApp.insert(context.getBean(JdbcTemplate.class), 1, 50);
			await().atMost(Duration.ofSeconds(30))
				.until(() -> context.getBean(ReplicatingDataSource.class).status().replicatedPosition() != null);
			generation[0] = context.getBean(ReplicatingDataSource.class).status().replicatedPosition().generation();
		});
		app(engine, prefix).run((context) -> {
			ReplicatingDataSource dataSource = context.getBean(ReplicatingDataSource.class);
			ReplicatedApp.insert(context.getBean(JdbcTemplate.class), 51, 60);
			dataSource.sync(ReplicatedApp.SYNC_TIMEOUT);
			assertThat(dataSource.status().replicatedPosition().generation()).as("same generation")
				.isEqualTo(generation[0]);
		});
		Path restored = IndependentRestore.fromS3(s3, BUCKET, prefix, this.dir.resolve("check.db"));
		assertThat(IndependentRestore.count(restored, "items")).isEqualTo(60);
	}

	@ParameterizedTest
	@ValueSource(strings = { "litestream", "native" })
	void aStartOnAFreshDiskRestoresAndContinuesTheRestoredGenerationWithoutASecondSnapshot(String engine)
			throws Exception {
		String prefix = "fresh-disk-" + engine;
		String[] generation = new String[1];
		app(engine, prefix).run((context) -> {
			ReplicatingDataSource dataSource = context.getBean(ReplicatingDataSource.class);
			ReplicatedApp.insert(context.getBean(JdbcTemplate.class), 1, 25);
			dataSource.sync(ReplicatedApp.SYNC_TIMEOUT);
			ReplicatedApp.insert(context.getBean(JdbcTemplate.class), 26, 50);
			dataSource.sync(ReplicatedApp.SYNC_TIMEOUT);
			generation[0] = dataSource.status().replicatedPosition().generation();
		});
		deleteRecursively(this.dir.resolve("data"));
		app(engine, prefix).run((context) -> {
			ReplicatingDataSource dataSource = context.getBean(ReplicatingDataSource.class);
			JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
			assertThat(jdbc.queryForObject("SELECT count(*) FROM items", Integer.class)).as("restored").isEqualTo(50);
			assertThat(restoredPositionFiles()).as("no restored position left once replicating").isEmpty();
			ReplicatedApp.insert(jdbc, 51, 60);
			dataSource.sync(ReplicatedApp.SYNC_TIMEOUT);
			assertThat(dataSource.status().replicatedPosition().generation()).as("the restored generation")
				.isEqualTo(generation[0]);
		});
		assertThat(s3.keys(BUCKET, prefix + "/generations/")).as("one snapshot, the first start's")
			.filteredOn((key) -> key.contains("/snapshots/"))
			.hasSize(1);
		Path restored = IndependentRestore.fromS3(s3, BUCKET, prefix, this.dir.resolve("check.db"));
		assertThat(IndependentRestore.integrityCheck(restored)).isEqualTo("ok");
		assertThat(IndependentRestore.count(restored, "items")).isEqualTo(60);
	}

	private List<Path> restoredPositionFiles() throws IOException {
		try (Stream<Path> files = Files.list(this.dir.resolve("data"))) {
			return files.filter((file) -> file.getFileName().toString().matches(".*-s3lite-(native|restored)"))
				.toList();
		}
	}

	private static void deleteRecursively(Path directory) throws IOException {
		try (Stream<Path> tree = Files.walk(directory)) {
			for (Path path : (Iterable<Path>) tree.sorted(Comparator.reverseOrder())::iterator) {
				Files.delete(path);
			}
		}
	}

}
