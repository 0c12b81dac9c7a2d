package io.github.s3lite.reliability;

import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.jdbc.core.JdbcTemplate;

import io.github.s3lite.datasource.ReplicatingDataSource;
import io.github.s3lite.replication.ReplicationException;
import io.github.s3lite.replication.ReplicationStatus;
import io.github.s3lite.test.IndependentRestore;
import io.github.s3lite.test.S3ProxyServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The S3 server goes away while the application writes: writes keep succeeding, {@code sync()}
 * reports the outage instead of hanging, and once the server is back (same port, same data)
 * replication catches up and a fresh restore has every row.
 */
class S3OutageTests {

	private static final String BUCKET = "outage";

	@RegisterExtension
	static final S3ProxyServer s3 = S3ProxyServer.withBucket(BUCKET);

	@TempDir
	Path dir;

	@Test
	void writesContinueThroughAnS3OutageAndReplicationCatchesUpAfterwards() {
		ReplicatedApp.runner(this.dir.resolve("data/app.sqlite3"), "s3://" + BUCKET + "/db", s3.endpoint())
			.run((context) -> {
				JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
				ReplicatingDataSource dataSource = context.getBean(ReplicatingDataSource.class);
				insert(jdbc, 1, 10);
				dataSource.sync(ReplicatedApp.SYNC_TIMEOUT);
				String generation = dataSource.status().localPosition().generation();
				s3.stop();
				try {
					insert(jdbc, 11, 200);
					assertThatExceptionOfType(ReplicationException.class)
						.isThrownBy(() -> dataSource.sync(Duration.ofSeconds(5)));
					ReplicationStatus during = dataSource.status();
					assertThat(during.inSync()).isFalse();
					assertThat(during.lagBytes()).isPositive();
					insert(jdbc, 201, 250);
				}
				finally {
					s3.restart();
				}
				syncAfterOutage(dataSource);
				ReplicationStatus after = dataSource.status();
				System.out.println("S3-OUTAGE errorsDuringOutage=" + after.syncErrorCount() + " lastError="
						+ after.lastError() + " restarts=" + after.restartCount());
				assertThat(after.replicaPosition().reached(after.localPosition())).isTrue();
				assertThat(after.localPosition().generation()).as("same generation").isEqualTo(generation);
				Path restored = IndependentRestore.fromS3(s3, BUCKET, "db", this.dir.resolve("check.db"));
				assertThat(IndependentRestore.integrityCheck(restored)).isEqualTo("ok");
				assertThat(IndependentRestore.count(restored, "items")).isEqualTo(250);
			});
	}

	private static void syncAfterOutage(ReplicatingDataSource dataSource) throws InterruptedException {
		long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
		while (true) {
			try {
				dataSource.sync(ReplicatedApp.SYNC_TIMEOUT);
				return;
			}
			catch (ReplicationException ex) {
				// errors of the outage may still be reported by the first attempts
				assertThat(System.nanoTime()).as("caught up: " + ex.getMessage()).isLessThan(deadline);
				Thread.sleep(500);
			}
		}
	}

	private static void insert(JdbcTemplate jdbc, int from, int to) {
		for (int i = from; i <= to; i++) {
			jdbc.update("INSERT INTO items (id, name) VALUES (?, 'row')", i);
		}
	}

}
