package io.github.s3lite.durable;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.annotation.Transactional;

import io.github.s3lite.internal.config.S3liteConfig;
import io.github.s3lite.datasource.ReplicatingDataSource;
import io.github.s3lite.replication.DurableCommitStats;
import io.github.s3lite.internal.replication.DurableReplication;
import io.github.s3lite.reliability.ReplicatedApp;
import io.github.s3lite.test.IndependentRestore;
import io.github.s3lite.test.S3ProxyServer;

import static org.awaitility.Awaitility.await;

/**
 * An application with durable commits on, whose background shipping is too slow (1h) to explain a
 * replica that holds a commit right after it returned.
 */
final class DurableApp {

	private DurableApp() {
	}

	static ApplicationContextRunner runner(Path database, S3ProxyServer s3, String bucket, String prefix) {
		return ReplicatedApp.runner(database, "s3://" + bucket + "/" + prefix, s3.endpoint())
			.withUserConfiguration(ItemService.class)
			.withPropertyValues("s3lite.durable-commits=true", "s3lite.native-engine.sync-interval=1h");
	}

	/**
	 * Make the background loop use up its upload: write through a plain connection (not s3lite's, so
	 * no durable commit ships it) and wait until the loop shipped it; with a 1h interval the loop then
	 * uploads nothing more, so only a durable commit can explain a replica holding a later commit.
	 */
	static void useUpBackgroundUpload(ApplicationContext context) throws SQLException {
		ReplicatingDataSource dataSource = context.getBean(ReplicatingDataSource.class);
		await("the startup upload").atMost(Duration.ofSeconds(30)).until(() -> dataSource.status().inSync());
		Path database = context.getBean(S3liteConfig.class).databasePath();
		try (Connection plain = DriverManager.getConnection("jdbc:sqlite:" + database);
				Statement statement = plain.createStatement()) {
			statement.execute("PRAGMA wal_autocheckpoint=0");
			statement.execute("CREATE TABLE warm_up (id INTEGER)");
		}
		await("the background upload").atMost(Duration.ofSeconds(30))
			.until(() -> dataSource.status().syncCount() >= 1 && dataSource.status().inSync());
	}

	static DurableCommitStats stats(ApplicationContext context) {
		return durable(context).durableCommitStats();
	}

	static DurableReplication durable(ApplicationContext context) {
		return (DurableReplication) context.getBean(ReplicatingDataSource.class).getReplication();
	}

	/** Restore the replica with the litestream binary, independently of s3lite, and count the items. */
	static long replicatedItems(S3ProxyServer s3, String bucket, String prefix, Path output) {
		Path restored = IndependentRestore.fromS3(s3, bucket, prefix, output);
		return (restored != null) ? IndependentRestore.count(restored, "items") : 0;
	}

	/** A service with {@code @Transactional} methods. */
	static class ItemService {

		private final JdbcTemplate jdbc;

		ItemService(JdbcTemplate jdbc) {
			this.jdbc = jdbc;
		}

		@Transactional
		public void insertTwo(int firstId) {
			this.jdbc.update("INSERT INTO items (id, name) VALUES (?, 'tx')", firstId);
			this.jdbc.update("INSERT INTO items (id, name) VALUES (?, 'tx')", firstId + 1);
		}

		@Transactional(readOnly = true)
		public long countReadOnly() {
			return this.jdbc.queryForObject("SELECT count(*) FROM items", Long.class);
		}

		@Transactional
		public long countInReadWriteTransaction() {
			return this.jdbc.queryForObject("SELECT count(*) FROM items", Long.class);
		}

	}

}
