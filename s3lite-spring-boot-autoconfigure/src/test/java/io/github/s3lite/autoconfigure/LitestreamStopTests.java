package io.github.s3lite.autoconfigure;

import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.jdbc.core.JdbcTemplate;

import io.github.s3lite.testapp.S3liteApps;
import io.github.s3lite.datasource.ReplicatingDataSource;
import io.github.s3lite.internal.replication.FinalUpload;
import io.github.s3lite.replication.Replication;
import io.github.s3lite.test.FaultProxy;
import io.github.s3lite.test.IndependentRestore;
import io.github.s3lite.test.S3ProxyServer;

import static org.awaitility.Awaitility.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Stopping replication sends litestream SIGTERM and lets it do its own final upload. Its output pipe
 * must stay open meanwhile: litestream logs while it shuts down, and a Go program writing to a closed
 * stdout dies of SIGPIPE before uploading anything ({@code Process.destroy()} closes the pipes). A
 * hand-over relies on that upload only when litestream's exit confirms it.
 */
class LitestreamStopTests {

	private static final String BUCKET = "stop";

	@RegisterExtension
	static final S3ProxyServer s3 = S3ProxyServer.withBucket(BUCKET);

	@TempDir
	Path dir;

	@Test
	void litestreamUploadsTheLastCommitsItselfWhenReplicationStops() {
		app("db", s3.endpoint()).run((context) -> {
			writeAfterTheFirstSync(context, 25);
			context.getBean(Replication.class).stop();
		});
		Path restored = IndependentRestore.fromS3(s3, BUCKET, "db", this.dir.resolve("check.db"));
		assertThat(restored).as("litestream uploaded on SIGTERM").isNotNull();
		assertThat(IndependentRestore.count(restored, "items")).isEqualTo(25);
	}

	@Test
	void aStopThatLitestreamsOwnFinalUploadCompletedIsConfirmedByItsExitAndTheReplicaHoldsEveryCommit() {
		app("confirmed", s3.endpoint()).withPropertyValues("s3lite.lease.enabled=false").run((context) -> {
			writeAfterTheFirstSync(context, 25);
			FinalUpload replication = (FinalUpload) context.getBean(Replication.class);
			assertThat(replication.provesFinalUpload()).isTrue();
			assertThat(replication.stopAfterFinalUpload(Duration.ofSeconds(30))).isTrue();
		});
		Path restored = IndependentRestore.fromS3(s3, BUCKET, "confirmed", this.dir.resolve("confirmed.db"));
		assertThat(IndependentRestore.count(restored, "items")).isEqualTo(25);
	}

	@Test
	void aFinalUploadThatCannotReachTheReplicaIsNotConfirmed() {
		try (FaultProxy proxy = FaultProxy.forward(s3.port())) {
			app("unconfirmed", proxy.endpoint()).withPropertyValues("s3lite.lease.enabled=false").run((context) -> {
				writeAfterTheFirstSync(context, 5);
				FinalUpload replication = (FinalUpload) context.getBean(Replication.class);
				assertThat(replication.provesFinalUpload()).isTrue();
				proxy.set(FaultProxy.Fault.PARTITION);
				assertThat(replication.stopAfterFinalUpload(Duration.ofSeconds(5))).isFalse();
			});
		}
	}

	private ApplicationContextRunner app(String prefix, String endpoint) {
		return S3liteApps.withJdbc()
			.withPropertyValues("s3lite.path=" + this.dir.resolve(prefix + "/app.sqlite3"),
					"s3lite.backup-to=s3://" + BUCKET + "/" + prefix, "s3lite.engine=litestream",
					"s3lite.s3.endpoint=" + endpoint, "s3lite.s3.access-key-id=" + S3ProxyServer.ACCESS_KEY,
					"s3lite.s3.secret-access-key=" + S3ProxyServer.SECRET_KEY,
					// after its first upload at startup, litestream uploads again only when it is stopped
					"s3lite.litestream.sync-interval=1h",
					"s3lite.migrations[0]=CREATE TABLE items (id INTEGER PRIMARY KEY)");
	}

	private static void writeAfterTheFirstSync(AssertableApplicationContext context, int rows) {
		JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
		// litestream makes its final upload only once it has synced the database a first time
		await("litestream's first sync").atMost(Duration.ofSeconds(20))
			.until(() -> context.getBean(ReplicatingDataSource.class).status().localPosition() != null);
		for (int i = 1; i <= rows; i++) {
			jdbc.update("INSERT INTO items (id) VALUES (?)", i);
		}
	}

}
