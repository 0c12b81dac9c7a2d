package io.github.s3lite.autoconfigure;

import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.jdbc.core.JdbcTemplate;

import io.github.s3lite.testapp.S3liteApps;
import io.github.s3lite.datasource.ReplicatingDataSource;
import io.github.s3lite.replication.Replication;
import io.github.s3lite.test.IndependentRestore;
import io.github.s3lite.test.S3ProxyServer;

import static org.awaitility.Awaitility.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Stopping replication sends litestream SIGTERM and lets it do its own final upload. Its output pipe
 * must stay open meanwhile: litestream logs while it shuts down, and a Go program writing to a closed
 * stdout dies of SIGPIPE before uploading anything ({@code Process.destroy()} closes the pipes).
 */
class LitestreamStopTests {

	private static final String BUCKET = "stop";

	@RegisterExtension
	static final S3ProxyServer s3 = S3ProxyServer.withBucket(BUCKET);

	@TempDir
	Path dir;

	@Test
	void litestreamUploadsTheLastCommitsItselfWhenReplicationStops() {
		String replica = "s3://" + BUCKET + "/db";
		S3liteApps.withJdbc()
			.withPropertyValues("s3lite.path=" + this.dir.resolve("data/app.sqlite3"), "s3lite.backup-to=" + replica,
					"s3lite.s3.endpoint=" + s3.endpoint(), "s3lite.s3.access-key-id=" + S3ProxyServer.ACCESS_KEY,
					"s3lite.s3.secret-access-key=" + S3ProxyServer.SECRET_KEY,
					// after its first upload at startup, litestream uploads again only when it is stopped
					"s3lite.litestream.sync-interval=1h",
					"s3lite.migrations[0]=CREATE TABLE items (id INTEGER PRIMARY KEY)")
			.run((context) -> {
				JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
				// litestream makes its final upload only once it has synced the database a first time
				await("litestream's first sync").atMost(Duration.ofSeconds(20))
					.until(() -> context.getBean(ReplicatingDataSource.class).status().localPosition() != null);
				for (int i = 1; i <= 25; i++) {
					jdbc.update("INSERT INTO items (id) VALUES (?)", i);
				}
				context.getBean(Replication.class).stop();
			});
		Path restored = IndependentRestore.fromS3(s3, BUCKET, "db", this.dir.resolve("check.db"));
		assertThat(restored).as("litestream uploaded on SIGTERM").isNotNull();
		assertThat(IndependentRestore.count(restored, "items")).isEqualTo(25);
	}

}
