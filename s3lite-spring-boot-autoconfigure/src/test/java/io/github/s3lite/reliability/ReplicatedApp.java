package io.github.s3lite.reliability;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import org.awaitility.Awaitility;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.boot.jdbc.autoconfigure.DataSourceTransactionManagerAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.transaction.autoconfigure.TransactionAutoConfiguration;

import io.github.s3lite.testapp.S3liteApps;
import io.github.s3lite.replication.ReplicationStatus;
import io.github.s3lite.test.S3ProxyServer;

/**
 * An application with s3lite, JdbcTemplate and transactions, replicating to an S3 API with the
 * server's credentials, and with an {@code items} table.
 */
public final class ReplicatedApp {

	/** A generous bound for a sync in tests. */
	public static final Duration SYNC_TIMEOUT = Duration.ofSeconds(30);

	private ReplicatedApp() {
	}

	/**
	 * Return a runner for the app.
	 * @param database the local database file
	 * @param replica the replica URL (restore-from and backup-to)
	 * @param endpoint the S3 endpoint
	 * @return the runner
	 */
	public static ApplicationContextRunner runner(Path database, String replica, String endpoint) {
		return S3liteApps.withJdbc()
			.withConfiguration(AutoConfigurations.of(DataSourceTransactionManagerAutoConfiguration.class,
					TransactionAutoConfiguration.class))
			.withPropertyValues("s3lite.path=" + database, "s3lite.restore-from=" + replica, "s3lite.backup-to=" + replica,
					"s3lite.s3.endpoint=" + endpoint, "s3lite.s3.access-key-id=" + S3ProxyServer.ACCESS_KEY,
					"s3lite.s3.secret-access-key=" + S3ProxyServer.SECRET_KEY,
					"s3lite.migrations[0]=CREATE TABLE IF NOT EXISTS items (id INTEGER PRIMARY KEY, name TEXT NOT NULL)");
	}

	/**
	 * Insert rows {@code from..to} into {@code items}, one auto-commit statement each.
	 * @param jdbc the template
	 * @param from the first id
	 * @param to the last id
	 */
	public static void insert(JdbcTemplate jdbc, int from, int to) {
		for (int i = from; i <= to; i++) {
			jdbc.update("INSERT INTO items (id, name) VALUES (?, 'row')", i);
		}
	}

	/**
	 * Wait until the clock is in a later second than now. A restore takes the generation whose newest
	 * object is the latest, and S3 stores times to the second (a tie goes to the first name, as in
	 * litestream): a test that starts a new generation right after another one's last upload waits for
	 * this first, so that the new one is the newest.
	 */
	public static void awaitNextSecond() {
		long second = Instant.now().getEpochSecond();
		Awaitility.await().pollInterval(Duration.ofMillis(20)).until(() -> Instant.now().getEpochSecond() > second);
	}

	/**
	 * Return the pid of the litestream process a status reports.
	 * @param status the status of the litestream engine
	 * @return the pid
	 */
	public static long litestreamPid(ReplicationStatus status) {
		Object pid = status.details().get("pid");
		if (pid == null) {
			throw new AssertionError("no litestream process runs: " + status);
		}
		return ((Number) pid).longValue();
	}

}
