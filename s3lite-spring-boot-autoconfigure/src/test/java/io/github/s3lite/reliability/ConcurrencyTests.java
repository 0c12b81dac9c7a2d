package io.github.s3lite.reliability;

import java.nio.file.Path;
import java.sql.Connection;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import io.github.s3lite.datasource.ReplicatingDataSource;
import io.github.s3lite.test.IndependentRestore;
import io.github.s3lite.test.S3ProxyServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/**
 * Threads writing and reading through {@code JdbcTemplate} while each engine replicates and
 * checkpoints, with s3lite's default settings ({@code tx-lock=immediate}, {@code busy-timeout=5s};
 * litestream: {@code max-checkpoint-page-count=0}; native: in-process checkpoints between
 * transactions): no {@code SQLITE_BUSY} reaches the caller, and a long read does not stall writers.
 */
class ConcurrencyTests {

	private static final String BUCKET = "concurrency";

	private static final int WRITERS = 4;

	private static final int READERS = 4;

	@RegisterExtension
	static final S3ProxyServer s3 = S3ProxyServer.withBucket(BUCKET);

	@TempDir
	Path dir;

	@ParameterizedTest
	@ValueSource(strings = { "litestream", "native" })
	void concurrentWritersAndReadersNeverSeeSqliteBusyAndALongReadDoesNotStallWriters(String engine) throws Exception {
		String prefix = "db-" + engine;
		ReplicatedApp.runner(this.dir.resolve("data/app.sqlite3"), "s3://" + BUCKET + "/" + prefix, s3.endpoint())
			// both engines check for checkpoints often, so that they happen during the long read
			.withPropertyValues("s3lite.engine=" + engine, "s3lite.litestream.monitor-interval=100ms",
					"s3lite.litestream.min-checkpoint-page-count=50", "s3lite.native-engine.max-wal-size=1MB")
			.run((context) -> {
				JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
				TransactionTemplate transactions = new TransactionTemplate(
						context.getBean(PlatformTransactionManager.class));
				ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
				AtomicBoolean running = new AtomicBoolean(true);
				AtomicLong ids = new AtomicLong();
				AtomicInteger commits = new AtomicInteger();
				AtomicInteger reads = new AtomicInteger();
				List<Thread> threads = new ArrayList<>();
				for (int i = 0; i < WRITERS; i++) {
					boolean readThenWrite = i % 2 == 0;
					threads.add(worker("writer-" + i, running, errors, () -> {
						if (readThenWrite) {
							// a read-modify-write transaction: needs the write lock from BEGIN on
							transactions.executeWithoutResult((status) -> {
								long count = jdbc.queryForObject("SELECT count(*) FROM items", Long.class);
								jdbc.update("INSERT INTO items (id, name) VALUES (?, ?)", ids.incrementAndGet(),
										"after-" + count);
							});
						}
						else {
							jdbc.update("INSERT INTO items (id, name) VALUES (?, ?)", ids.incrementAndGet(), "plain");
						}
						commits.incrementAndGet();
					}));
				}
				for (int i = 0; i < READERS; i++) {
					threads.add(worker("reader-" + i, running, errors, () -> {
						jdbc.queryForObject("SELECT count(*), max(id) FROM items", (rs, row) -> rs.getLong(1));
						reads.incrementAndGet();
					}));
				}
				threads.forEach(Thread::start);
				Thread.sleep(1500);

				// a read statement that keeps its snapshot (and pins the WAL) for 3 seconds
				int commitsBeforeLongRead = commits.get();
				CountDownLatch holding = new CountDownLatch(1);
				int[] commitsDuringLongRead = new int[1];
				jdbc.query("SELECT id FROM items", (rs) -> {
					if (holding.getCount() == 1) {
						holding.countDown();
						int start = commits.get();
						sleep(3000);
						commitsDuringLongRead[0] = commits.get() - start;
					}
				});
				Thread.sleep(1000);
				running.set(false);
				for (Thread thread : threads) {
					thread.join(30_000);
				}
				System.out.println("CONCURRENCY engine=" + engine + " commits=" + commits.get() + " reads=" + reads.get()
						+ " commitsDuringLongRead=" + commitsDuringLongRead[0] + " errors=" + errors.size());
				assertThat(errors).isEmpty();
				assertThat(commitsBeforeLongRead).isPositive();
				assertThat(commitsDuringLongRead[0]).as("writers kept committing during the long read").isGreaterThan(20);
				ReplicatingDataSource dataSource = context.getBean(ReplicatingDataSource.class);
				dataSource.sync(ReplicatedApp.SYNC_TIMEOUT);
				long total = jdbc.queryForObject("SELECT count(*) FROM items", Long.class);
				assertThat(total).isEqualTo(commits.get());
				Path restored = IndependentRestore.fromS3(s3, BUCKET, prefix, this.dir.resolve("check.db"));
				assertThat(IndependentRestore.count(restored, "items")).isEqualTo(total);
				assertThat(IndependentRestore.integrityCheck(restored)).isEqualTo("ok");
			});
	}

	@ParameterizedTest
	@ValueSource(strings = { "litestream", "native" })
	void aLongReadOnlyTransactionDoesNotBlockWriters(String engine) {
		ReplicatedApp.runner(this.dir.resolve("data/app.sqlite3"), "s3://" + BUCKET + "/readonly-" + engine,
				s3.endpoint())
			.withPropertyValues("s3lite.engine=" + engine, "s3lite.native-engine.max-wal-size=1MB")
			.run((context) -> {
				JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
				TransactionTemplate readOnly = new TransactionTemplate(context.getBean(PlatformTransactionManager.class));
				readOnly.setReadOnly(true);
				jdbc.update("INSERT INTO items (id, name) VALUES (1, 'first')");
				AtomicInteger commits = new AtomicInteger();
				ConcurrentLinkedQueue<Throwable> errors = new ConcurrentLinkedQueue<>();
				AtomicBoolean running = new AtomicBoolean(true);
				AtomicLong ids = new AtomicLong(1);
				Thread writer = worker("writer", running, errors, () -> {
					jdbc.update("INSERT INTO items (id, name) VALUES (?, 'more')", ids.incrementAndGet());
					commits.incrementAndGet();
				});
				long seen = readOnly.execute((status) -> {
					long before = jdbc.queryForObject("SELECT count(*) FROM items", Long.class);
					writer.start();
					// longer than the busy timeout: a writer waiting for this transaction would fail
					sleep(6000);
					long after = jdbc.queryForObject("SELECT count(*) FROM items", Long.class);
					assertThat(after).as("a read transaction sees one snapshot").isEqualTo(before);
					return after;
				});
				running.set(false);
				writer.join(30_000);
				System.out.println("READONLY engine=" + engine + " commitsDuringTransaction=" + commits.get() + " errors=" + errors);
				assertThat(errors).isEmpty();
				assertThat(seen).isEqualTo(1);
				assertThat(commits.get()).isGreaterThan(20);
			});
	}

	@Test
	void aConnectionThatServedAReadOnlyTransactionCanWriteAgain() {
		ReplicatedApp.runner(this.dir.resolve("data/app.sqlite3"), "s3://" + BUCKET + "/reuse", s3.endpoint())
			.withPropertyValues("spring.datasource.hikari.maximum-pool-size=1")
			.run((context) -> {
				JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
				PlatformTransactionManager manager = context.getBean(PlatformTransactionManager.class);
				TransactionTemplate readOnly = new TransactionTemplate(manager);
				readOnly.setReadOnly(true);
				TransactionTemplate readWrite = new TransactionTemplate(manager);
				readOnly.executeWithoutResult((status) -> jdbc.queryForObject("SELECT count(*) FROM items", Long.class));
				assertThatException().isThrownBy(() -> readOnly.executeWithoutResult(
						(status) -> jdbc.update("INSERT INTO items (id, name) VALUES (0, 'in a read-only transaction')")))
					.withMessageContaining("readonly");
				jdbc.update("INSERT INTO items (id, name) VALUES (1, 'autocommit after read-only')");
				readOnly.executeWithoutResult((status) -> jdbc.queryForObject("SELECT count(*) FROM items", Long.class));
				readWrite.executeWithoutResult((status) -> {
					long count = jdbc.queryForObject("SELECT count(*) FROM items", Long.class);
					jdbc.update("INSERT INTO items (id, name) VALUES (2, ?)", "read-write after read-only, saw " + count);
				});
				// plain JDBC that returns the connection read-only and inside a transaction: the pool resets it
				try (Connection connection = context.getBean(DataSource.class).getConnection()) {
					connection.setReadOnly(true);
					connection.setAutoCommit(false);
					connection.createStatement().executeQuery("SELECT count(*) FROM items").close();
				}
				jdbc.update("INSERT INTO items (id, name) VALUES (3, 'autocommit after a pool reset')");
				assertThat(jdbc.queryForObject("SELECT count(*) FROM items", Long.class)).isEqualTo(3);
			});
	}

	private static Thread worker(String name, AtomicBoolean running, ConcurrentLinkedQueue<Throwable> errors,
			Runnable work) {
		Thread thread = new Thread(() -> {
			while (running.get()) {
				try {
					work.run();
				}
				catch (Throwable ex) {
					errors.add(ex);
					return;
				}
			}
		}, name);
		thread.setDaemon(true);
		return thread;
	}

	private static void sleep(long millis) {
		try {
			Thread.sleep(millis);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

}
