package io.github.s3lite.durable;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.jdbc.core.JdbcTemplate;

import io.github.s3lite.autoconfigure.S3liteMetricsAutoConfiguration;
import io.github.s3lite.durable.DurableApp.ItemService;
import io.github.s3lite.internal.metrics.DurableCommitMetrics;
import io.github.s3lite.reliability.ReplicatedApp;
import io.github.s3lite.replication.DurableCommitStats;
import io.github.s3lite.test.S3ProxyServer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * With {@code s3lite.durable-commits=true} every kind of commit returns only once the replica holds it
 * (the background interval is 1h, and a fresh restore with the litestream binary right after the call
 * has the rows), commits that wrote nothing do not upload, and concurrent commits share uploads.
 */
class DurableCommitsTests {

	private static final String BUCKET = "durable";

	@RegisterExtension
	static final S3ProxyServer s3 = S3ProxyServer.withBucket(BUCKET);

	@TempDir
	Path dir;

	@Test
	void anAutoCommitStatementReturnsOnlyOnceTheReplicaHoldsIt() {
		DurableApp.runner(this.dir.resolve("data/app.sqlite3"), s3, BUCKET, "auto-commit").run((context) -> {
			DurableApp.useUpBackgroundUpload(context);
			context.getBean(JdbcTemplate.class).update("INSERT INTO items (id, name) VALUES (1, 'one')");
			assertThat(DurableApp.replicatedItems(s3, BUCKET, "auto-commit", this.dir.resolve("r.db"))).isEqualTo(1);
			assertThat(DurableApp.stats(context).commitsAwaited()).isPositive();
		});
	}

	@Test
	void theDurableCommitMetersCountCommitsAndTheirUploads() {
		DurableApp.runner(this.dir.resolve("data/app.sqlite3"), s3, BUCKET, "meters")
			.withConfiguration(AutoConfigurations.of(S3liteMetricsAutoConfiguration.class))
			.run((context) -> {
				DurableApp.useUpBackgroundUpload(context);
				MeterRegistry registry = new SimpleMeterRegistry();
				context.getBean(DurableCommitMetrics.class).bindTo(registry);
				JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
				for (int id = 1; id <= 3; id++) {
					jdbc.update("INSERT INTO items (id, name) VALUES (?, 'metered')", id);
				}
				DurableCommitStats stats = DurableApp.stats(context);
				assertThat(stats.commitsAwaited()).isGreaterThanOrEqualTo(3);
				assertThat(registry.get("s3lite.durable.commits").functionCounter().count())
					.isEqualTo(stats.commitsAwaited());
				assertThat(registry.get("s3lite.durable.uploads").functionCounter().count())
					.isEqualTo(stats.uploads())
					.isPositive();
				assertThat(registry.get("s3lite.durable.upload.failures").functionCounter().count()).isZero();
				assertThat(registry.get("s3lite.durable.not.replicated").functionCounter().count()).isZero();
				assertThat(registry.get("s3lite.durable.refused.writes").functionCounter().count()).isZero();
				assertThat(registry.get("s3lite.durable.failing").gauge().value()).isZero();
			});
	}

	@Test
	void withoutDurableCommitsThereAreNoDurableCommitMeters() {
		ReplicatedApp.runner(this.dir.resolve("data/app.sqlite3"), "s3://" + BUCKET + "/no-meters", s3.endpoint())
			.withConfiguration(AutoConfigurations.of(S3liteMetricsAutoConfiguration.class))
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(DurableCommitMetrics.class));
	}

	@Test
	void anExplicitCommitReturnsOnlyOnceTheReplicaHoldsTheTransaction() {
		DurableApp.runner(this.dir.resolve("data/app.sqlite3"), s3, BUCKET, "explicit").run((context) -> {
			DurableApp.useUpBackgroundUpload(context);
			try (Connection connection = context.getBean(DataSource.class).getConnection()) {
				connection.setAutoCommit(false);
				try (PreparedStatement insert = connection
					.prepareStatement("INSERT INTO items (id, name) VALUES (?, 'explicit')")) {
					for (int id = 1; id <= 3; id++) {
						insert.setInt(1, id);
						insert.executeUpdate();
					}
				}
				connection.commit();
				assertThat(DurableApp.replicatedItems(s3, BUCKET, "explicit", this.dir.resolve("r.db"))).isEqualTo(3);
			}
		});
	}

	@Test
	void aBatchReturnsOnlyOnceTheReplicaHoldsEveryRowOfIt() {
		DurableApp.runner(this.dir.resolve("data/app.sqlite3"), s3, BUCKET, "batch").run((context) -> {
			DurableApp.useUpBackgroundUpload(context);
			List<Object[]> rows = new ArrayList<>();
			for (int id = 1; id <= 50; id++) {
				rows.add(new Object[] { id });
			}
			context.getBean(JdbcTemplate.class).batchUpdate("INSERT INTO items (id, name) VALUES (?, 'batch')", rows);
			assertThat(DurableApp.replicatedItems(s3, BUCKET, "batch", this.dir.resolve("r.db"))).isEqualTo(50);
		});
	}

	@Test
	void aTransactionalMethodReturnsOnlyOnceTheReplicaHoldsItsTransaction() {
		DurableApp.runner(this.dir.resolve("data/app.sqlite3"), s3, BUCKET, "transactional").run((context) -> {
			DurableApp.useUpBackgroundUpload(context);
			context.getBean(ItemService.class).insertTwo(1);
			assertThat(DurableApp.replicatedItems(s3, BUCKET, "transactional", this.dir.resolve("r.db")))
				.isEqualTo(2);
		});
	}

	@Test
	void readOnlyTransactionsAndStatementsThatWriteNothingDoNotUpload() {
		DurableApp.runner(this.dir.resolve("data/app.sqlite3"), s3, BUCKET, "read-only").run((context) -> {
			DurableApp.useUpBackgroundUpload(context);
			JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
			ItemService service = context.getBean(ItemService.class);
			jdbc.update("INSERT INTO items (id, name) VALUES (1, 'one')");
			DurableCommitStats before = DurableApp.stats(context);
			assertThat(service.countReadOnly()).isEqualTo(1);
			assertThat(service.countInReadWriteTransaction()).isEqualTo(1);
			assertThat(jdbc.queryForObject("SELECT count(*) FROM items", Long.class)).isEqualTo(1);
			assertThat(jdbc.update("UPDATE items SET name = 'none' WHERE id = 42")).isZero();
			DurableCommitStats after = DurableApp.stats(context);
			assertThat(after.commitsAwaited()).isEqualTo(before.commitsAwaited());
			assertThat(after.uploads()).isEqualTo(before.uploads());
		});
	}

	@Test
	void sixteenConcurrentWritersShareUploads() {
		DurableApp.runner(this.dir.resolve("data/app.sqlite3"), s3, BUCKET, "concurrent").run((context) -> {
			DurableApp.useUpBackgroundUpload(context);
			JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
			DurableCommitStats before = DurableApp.stats(context);
			int writers = 16;
			int perWriter = 20;
			ExecutorService pool = Executors.newFixedThreadPool(writers);
			try {
				List<Future<?>> done = new ArrayList<>();
				for (int w = 0; w < writers; w++) {
					int writer = w;
					done.add(pool.submit(() -> {
						for (int i = 0; i < perWriter; i++) {
							jdbc.update("INSERT INTO items (id, name) VALUES (?, 'concurrent')", writer * 1000 + i);
						}
					}));
				}
				for (Future<?> future : done) {
					future.get();
				}
			}
			finally {
				pool.shutdownNow();
			}
			DurableCommitStats after = DurableApp.stats(context);
			long commits = after.commitsAwaited() - before.commitsAwaited();
			long uploads = after.uploads() - before.uploads();
			System.out.println("DURABLE-CONCURRENCY writers=" + writers + " commits=" + commits + " uploads=" + uploads);
			assertThat(commits).isEqualTo(writers * perWriter);
			assertThat(uploads).isLessThan(commits);
			assertThat(DurableApp.replicatedItems(s3, BUCKET, "concurrent", this.dir.resolve("r.db")))
				.isEqualTo(writers * perWriter);
		});
	}

}
