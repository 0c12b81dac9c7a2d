package io.github.s3lite.reliability;

import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.jdbc.core.JdbcTemplate;

import io.github.s3lite.datasource.ReplicatingDataSource;
import io.github.s3lite.replication.ReplicationException;
import io.github.s3lite.replication.ReplicationStatus;
import io.github.s3lite.test.IndependentRestore;
import io.github.s3lite.test.S3ProxyServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The S3 server goes away while the application writes, for every engine: writes keep succeeding, {@code sync()}
 * reports the outage instead of hanging, and once the server is back (same port, same data)
 * replication catches up and a fresh restore has every row.
 */
class S3OutageTests {

	private static final String BUCKET = "outage";

	@RegisterExtension
	static final S3ProxyServer s3 = S3ProxyServer.withBucket(BUCKET);

	@TempDir
	Path dir;

	@ParameterizedTest
	@ValueSource(strings = { "litestream", "native" })
	void writesContinueThroughAnS3OutageAndReplicationCatchesUpAfterwards(String engine) {
		String prefix = "db-" + engine;
		ReplicatedApp.runner(this.dir.resolve("data/app.sqlite3"), "s3://" + BUCKET + "/" + prefix, s3.endpoint())
			.withPropertyValues("s3lite.engine=" + engine)
			.run((context) -> {
				JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
				ReplicatingDataSource dataSource = context.getBean(ReplicatingDataSource.class);
				ReplicatedApp.insert(jdbc, 1, 10);
				dataSource.sync(ReplicatedApp.SYNC_TIMEOUT);
				String generation = dataSource.status().localPosition().generation();
				s3.stop();
				try {
					ReplicatedApp.insert(jdbc, 11, 200);
					assertThatExceptionOfType(ReplicationException.class)
						.isThrownBy(() -> dataSource.sync(Duration.ofSeconds(5)));
					// status() does no I/O: the engine's background observation shows the lag shortly after
					await("the lag to show").atMost(Duration.ofSeconds(10))
						.until(() -> !dataSource.status().inSync() && dataSource.status().lagBytes() > 0);
					ReplicatedApp.insert(jdbc, 201, 250);
				}
				finally {
					s3.restart();
				}
				// replication catches up by itself (no write needed), then a sync succeeds at the first attempt
				await("replication to catch up").atMost(Duration.ofSeconds(60)).until(() -> dataSource.status().inSync());
				dataSource.sync(ReplicatedApp.SYNC_TIMEOUT);
				ReplicationStatus after = dataSource.status();
				System.out.println("S3-OUTAGE engine=" + engine + " errorsDuringOutage=" + after.syncErrorCount() + " lastError="
						+ after.lastError() + " restarts=" + after.engineCounter("restarts"));
				assertThat(after.replicatedPosition().reached(after.localPosition())).isTrue();
				assertThat(after.localPosition().generation()).as("same generation").isEqualTo(generation);
				Path restored = IndependentRestore.fromS3(s3, BUCKET, prefix, this.dir.resolve("check.db"));
				assertThat(IndependentRestore.integrityCheck(restored)).isEqualTo("ok");
				assertThat(IndependentRestore.count(restored, "items")).isEqualTo(250);
			});
	}

}
