package io.github.s3lite.reliability;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

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
 * shutdown: shutdown is bounded by {@code s3lite.shutdown-sync-timeout} and
 * {@code s3lite.litestream.shutdown-timeout}, and the log says that the final flush failed and how
 * many WAL bytes were not replicated.
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

	@Test
	void aBlackholedEndpointDoesNotHangShutdownAndTheLogSaysHowManyBytesWereNotReplicated(CapturedOutput output)
			throws Exception {
		AtomicLong lagAtShutdown = new AtomicLong();
		AtomicLong closing = new AtomicLong();
		try (BlackholeProxy proxy = BlackholeProxy.forward(s3.port())) {
			ReplicatedApp.runner(this.dir.resolve("data/app.sqlite3"), "s3://" + BUCKET + "/db", proxy.endpoint())
				.withPropertyValues("s3lite.shutdown-sync-timeout=2s", "s3lite.litestream.shutdown-timeout=2s")
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
					await("litestream to capture the commits locally").atMost(Duration.ofSeconds(30))
						.until(() -> dataSource.status().lagBytes() >= ROWS_AFTER_BLACKHOLE * FRAME);
					lagAtShutdown.set(dataSource.status().lagBytes());
					closing.set(System.nanoTime());
				});
		}
		Duration shutdown = Duration.ofNanos(System.nanoTime() - closing.get());
		assertThat(shutdown).as("hang guard, not a performance assertion").isLessThan(Duration.ofSeconds(60));
		Matcher failed = Pattern.compile("Final flush to s3://" + BUCKET + "/db failed after \\d+ ms; (\\d+) WAL bytes are "
				+ "not replicated").matcher(output.toString());
		assertThat(failed.find()).as("the final flush failure is logged").isTrue();
		long notReplicated = Long.parseLong(failed.group(1));
		System.out.println("BLACKHOLE shutdown=" + shutdown.toMillis() + "ms notReplicated=" + notReplicated
				+ " lagAtShutdown=" + lagAtShutdown.get());
		assertThat(notReplicated).isGreaterThanOrEqualTo(lagAtShutdown.get())
			.isGreaterThanOrEqualTo(ROWS_AFTER_BLACKHOLE * FRAME);
		assertThat(output).contains("s3lite.litestream.shutdown-timeout) and was killed");
		Path restored = IndependentRestore.fromS3(s3, BUCKET, "db", this.dir.resolve("check.db"));
		assertThat(IndependentRestore.integrityCheck(restored)).isEqualTo("ok");
		assertThat(IndependentRestore.count(restored, "items")).isBetween(5L, 5L + ROWS_AFTER_BLACKHOLE);
	}

}
