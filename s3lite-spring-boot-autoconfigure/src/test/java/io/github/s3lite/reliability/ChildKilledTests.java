package io.github.s3lite.reliability;

import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.jdbc.core.JdbcTemplate;

import io.github.s3lite.datasource.ReplicatingDataSource;
import io.github.s3lite.replication.ReplicationStatus;
import io.github.s3lite.test.IndependentRestore;
import io.github.s3lite.test.S3ProxyServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The litestream child is killed (SIGKILL) again and again while the application keeps writing: it is
 * restarted with back-off, the restarts are counted in the status, the application never notices,
 * and no row covered by a completed {@code sync()} is lost.
 */
class ChildKilledTests {

	private static final String BUCKET = "child-killed";

	private static final int KILLS = 3;

	@RegisterExtension
	static final S3ProxyServer s3 = S3ProxyServer.withBucket(BUCKET);

	@TempDir
	Path dir;

	@Test
	void aRepeatedlyKilledLitestreamIsRestartedAndNoSyncedRowIsLost() {
		ReplicatedApp.runner(this.dir.resolve("data/app.sqlite3"), "s3://" + BUCKET + "/db", s3.endpoint())
			.withPropertyValues("s3lite.litestream.restart-max-backoff=2s")
			.run((context) -> {
				JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
				ReplicatingDataSource dataSource = context.getBean(ReplicatingDataSource.class);
				AtomicLong lastCommitted = new AtomicLong();
				AtomicBoolean writing = new AtomicBoolean(true);
				ConcurrentLinkedQueue<Throwable> writeErrors = new ConcurrentLinkedQueue<>();
				Thread writer = new Thread(() -> {
					while (writing.get()) {
						try {
							long id = lastCommitted.get() + 1;
							jdbc.update("INSERT INTO items (id, name) VALUES (?, 'row')", id);
							lastCommitted.set(id);
							Thread.sleep(5);
						}
						catch (Throwable ex) {
							writeErrors.add(ex);
							return;
						}
					}
				}, "writer");
				writer.start();
				long synced = 0;
				for (int kill = 1; kill <= KILLS; kill++) {
					synced = syncedUpTo(dataSource, lastCommitted);
					long pid = ReplicatedApp.litestreamPid(dataSource.status());
					ProcessHandle.of(pid).orElseThrow().destroyForcibly();
					int restarts = kill;
					await("restart #" + kill).atMost(Duration.ofSeconds(30))
						.until(() -> dataSource.status().engineCounter("restarts") >= restarts
								&& dataSource.status().replicating());
					assertThat(ReplicatedApp.litestreamPid(dataSource.status())).isNotEqualTo(pid);
				}
				synced = syncedUpTo(dataSource, lastCommitted);
				writing.set(false);
				writer.join(10_000);
				ReplicationStatus status = dataSource.status();
				System.out.println("CHILD-KILLED restarts=" + status.engineCounter("restarts") + " rows=" + lastCommitted.get()
						+ " synced=" + synced);
				assertThat(writeErrors).as("the application never noticed").isEmpty();
				assertThat(status.engineCounter("restarts")).isEqualTo(KILLS);
				Path restored = IndependentRestore.fromS3(s3, BUCKET, "db", this.dir.resolve("check.db"));
				assertThat(IndependentRestore.integrityCheck(restored)).isEqualTo("ok");
				long count = IndependentRestore.count(restored, "items");
				assertThat(IndependentRestore.queryLong(restored, "SELECT max(id) FROM items")).isEqualTo(count);
				assertThat(count).isGreaterThanOrEqualTo(synced);
			});
	}

	/**
	 * Sync once (a restarted litestream must not make it fail) and return the row id the replica is now
	 * known to hold.
	 */
	private static long syncedUpTo(ReplicatingDataSource dataSource, AtomicLong lastCommitted) {
		long upTo = lastCommitted.get();
		dataSource.sync(ReplicatedApp.SYNC_TIMEOUT);
		return upTo;
	}

}
