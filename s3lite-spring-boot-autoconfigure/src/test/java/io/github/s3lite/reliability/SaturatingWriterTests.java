package io.github.s3lite.reliability;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.springframework.jdbc.core.JdbcTemplate;

import io.github.s3lite.datasource.ReplicatingDataSource;
import io.github.s3lite.replication.ReplicationStatus;
import io.github.s3lite.test.IndependentRestore;
import io.github.s3lite.test.S3ProxyServer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Writers that never pause, for 30 seconds, with the native engine at its defaults: the engine still
 * checkpoints between their transactions, so the WAL stays under {@code max-wal-size} (64 MiB), the
 * replica stays within {@code s3lite.health.max-lag}, no writer sees {@code SQLITE_BUSY}, and the
 * replica restores every row. Native engine only: litestream's checkpoints cannot get the write lock
 * under such a writer and its WAL grows to gigabytes (BENCHMARKS.md).
 */
class SaturatingWriterTests {

	private static final String BUCKET = "saturating";

	private static final int WRITERS = 2;

	private static final long MAX_WAL_SIZE = 64L * 1024 * 1024;

	private static final Duration MAX_LAG = Duration.ofMinutes(1);

	private static final Duration WRITING = Duration.ofSeconds(30);

	@RegisterExtension
	static final S3ProxyServer s3 = S3ProxyServer.withBucket(BUCKET);

	@TempDir
	Path dir;

	@Test
	void aSaturatingWriterKeepsTheWalUnderItsBoundAndTheReplicaWithinMaxLag() throws Exception {
		Path database = this.dir.resolve("data/app.sqlite3");
		Path wal = database.resolveSibling("app.sqlite3-wal");
		ReplicatedApp.runner(database, "s3://" + BUCKET + "/db", s3.endpoint())
			.withPropertyValues("s3lite.engine=native")
			.run((context) -> {
				JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
				ReplicatingDataSource dataSource = context.getBean(ReplicatingDataSource.class);
				ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
				AtomicBoolean running = new AtomicBoolean(true);
				AtomicLong ids = new AtomicLong();
				AtomicLong maxWal = new AtomicLong();
				AtomicLong maxBehindMillis = new AtomicLong();
				List<Thread> threads = new ArrayList<>();
				for (int i = 0; i < WRITERS; i++) {
					threads.add(new Thread(() -> {
						while (running.get()) {
							try {
								jdbc.update("INSERT INTO items (id, name) VALUES (?, hex(randomblob(500)))",
										ids.incrementAndGet());
							}
							catch (Throwable ex) {
								errors.add(ex);
								return;
							}
						}
					}, "saturating-writer-" + i));
				}
				Thread sampler = new Thread(() -> {
					while (running.get()) {
						maxWal.accumulateAndGet(sizeOf(wal), Math::max);
						ReplicationStatus status = dataSource.status();
						if (!status.inSync() && status.lastSyncTime() != null) {
							maxBehindMillis.accumulateAndGet(
									Duration.between(status.lastSyncTime(), Instant.now()).toMillis(), Math::max);
						}
						// a sampling period, not a wait for a condition
						LockSupport.parkNanos(20_000_000);
					}
				}, "wal-sampler");
				threads.forEach(Thread::start);
				sampler.start();
				long stopAt = System.nanoTime() + WRITING.toNanos();
				while (System.nanoTime() < stopAt && errors.isEmpty()) {
					threads.get(0).join(Math.max(1, (stopAt - System.nanoTime()) / 1_000_000));
				}
				running.set(false);
				for (Thread thread : threads) {
					thread.join(30_000);
				}
				sampler.join(30_000);
				ReplicationStatus status = dataSource.status();
				System.out.println("SATURATING rows=" + ids.get() + " maxWal=" + maxWal.get() + " maxBehindMs="
						+ maxBehindMillis.get() + " checkpoints=" + status.engineCounters().get("checkpoints")
						+ " syncs=" + status.syncCount() + " errors=" + errors.size());
				assertThat(errors).as("no writer saw SQLITE_BUSY").isEmpty();
				assertThat(maxWal.get()).as("WAL high-water mark").isLessThanOrEqualTo(MAX_WAL_SIZE);
				assertThat(Duration.ofMillis(maxBehindMillis.get())).as("replica lag").isLessThan(MAX_LAG);
				dataSource.sync(ReplicatedApp.SYNC_TIMEOUT);
				long rows = jdbc.queryForObject("SELECT count(*) FROM items", Long.class);
				Path restored = IndependentRestore.fromS3(s3, BUCKET, "db", this.dir.resolve("check.db"));
				assertThat(IndependentRestore.integrityCheck(restored)).isEqualTo("ok");
				assertThat(IndependentRestore.count(restored, "items")).isEqualTo(rows);
			});
	}

	private static long sizeOf(Path file) {
		try {
			return Files.exists(file) ? Files.size(file) : 0;
		}
		catch (java.io.IOException ex) {
			return 0;
		}
	}

}
