package io.github.s3lite.reliability;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.jdbc.core.JdbcTemplate;

import io.github.s3lite.datasource.ReplicatingDataSource;
import io.github.s3lite.test.BlackholeProxy;
import io.github.s3lite.test.IndependentRestore;
import io.github.s3lite.test.S3ProxyServer;

import static org.awaitility.Awaitility.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The S3 endpoint turns into a black hole (connections accepted, never answered) shortly before
 * shutdown, for every engine: shutdown is bounded (litestream: {@code s3lite.shutdown-sync-timeout} and
 * {@code s3lite.litestream.shutdown-timeout}, then the child is killed; native: the shutdown sync
 * timeout, then closing the store aborts the stuck upload), the log says that the final flush failed and
 * how many WAL bytes were not replicated, and the native engine leaves no thread and no open connection.
 */
@ExtendWith(OutputCaptureExtension.class)
class BlackholeShutdownTests {

	private static final String BUCKET = "blackhole";

	private static final int ROWS_AFTER_BLACKHOLE = 100;

	/** One WAL frame: a 4096-byte page and its 24-byte header; each single-row commit adds at least one. */
	private static final long FRAME = 4096 + 24;

	@RegisterExtension
	static final S3ProxyServer s3 = S3ProxyServer.withBucket(BUCKET);

	@TempDir
	Path dir;

	@ParameterizedTest
	@ValueSource(strings = { "litestream", "native" })
	void aBlackholedEndpointDoesNotHangShutdownAndTheLogSaysHowManyBytesWereNotReplicated(String engine,
			CapturedOutput output) throws Exception {
		String prefix = "db-" + engine;
		Path database = this.dir.resolve("data/app.sqlite3");
		AtomicLong lagAtShutdown = new AtomicLong();
		AtomicLong closing = new AtomicLong();
		try (BlackholeProxy proxy = BlackholeProxy.forward(s3.port())) {
			ReplicatedApp.runner(database, "s3://" + BUCKET + "/" + prefix, proxy.endpoint())
				.withPropertyValues("s3lite.engine=" + engine, "s3lite.shutdown-sync-timeout=2s",
						"s3lite.litestream.shutdown-timeout=2s")
				.run((context) -> {
					JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
					ReplicatingDataSource dataSource = context.getBean(ReplicatingDataSource.class);
					for (int i = 1; i <= 5; i++) {
						jdbc.update("INSERT INTO items (id, name) VALUES (?, 'replicated')", i);
					}
					dataSource.sync(ReplicatedApp.SYNC_TIMEOUT);
					proxy.blackhole();
					for (int i = 6; i < 6 + ROWS_AFTER_BLACKHOLE; i++) {
						jdbc.update("INSERT INTO items (id, name) VALUES (?, 'stuck')", i);
					}
					await("the engine to capture the commits locally").atMost(Duration.ofSeconds(30))
						.until(() -> dataSource.status().lagBytes() >= ROWS_AFTER_BLACKHOLE * FRAME);
					lagAtShutdown.set(dataSource.status().lagBytes());
					closing.set(System.nanoTime());
				});
		}
		Duration shutdown = Duration.ofNanos(System.nanoTime() - closing.get());
		assertThat(shutdown).as("hang guard, not a performance assertion").isLessThan(Duration.ofSeconds(60));
		Matcher failed = Pattern.compile("Final flush to s3://" + BUCKET + "/" + prefix + " failed after \\d+ ms; (\\d+) WAL bytes are "
				+ "not replicated").matcher(output.toString());
		assertThat(failed.find()).as("the final flush failure is logged").isTrue();
		long notReplicated = Long.parseLong(failed.group(1));
		System.out.println("BLACKHOLE engine=" + engine + " shutdown=" + shutdown.toMillis() + "ms notReplicated=" + notReplicated
				+ " lagAtShutdown=" + lagAtShutdown.get());
		assertThat(notReplicated).isGreaterThanOrEqualTo(lagAtShutdown.get())
			.isGreaterThanOrEqualTo(ROWS_AFTER_BLACKHOLE * FRAME);
		if (engine.equals("litestream")) {
			assertThat(output).contains("s3lite.litestream.shutdown-timeout) and was killed");
		}
		else {
			assertThat(output).contains("Replication stopped: native engine");
			assertThat(Thread.getAllStackTraces().keySet()).as("no engine thread outlives the context")
				.noneMatch((thread) -> thread.isAlive() && thread.getName().startsWith("s3lite-native"));
			assertThat(database.resolveSibling("app.sqlite3-wal"))
				.as("every connection closed: the last close checkpointed and removed the WAL")
				.satisfies((wal) -> assertThat(Files.exists(wal)).isFalse());
		}
		Path restored = IndependentRestore.fromS3(s3, BUCKET, prefix, this.dir.resolve("check.db"));
		assertThat(IndependentRestore.integrityCheck(restored)).isEqualTo("ok");
		assertThat(IndependentRestore.count(restored, "items")).isBetween(5L, 5L + ROWS_AFTER_BLACKHOLE);
	}

}
