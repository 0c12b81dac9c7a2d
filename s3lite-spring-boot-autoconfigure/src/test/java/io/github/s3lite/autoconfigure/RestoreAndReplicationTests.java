package io.github.s3lite.autoconfigure;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.jdbc.core.JdbcTemplate;

import io.github.s3lite.testapp.S3liteApps;
import io.github.s3lite.datasource.ReplicatingDataSource;
import io.github.s3lite.reliability.ReplicatedApp;
import io.github.s3lite.replication.ReplicationStatus;
import io.github.s3lite.test.IndependentRestore;
import io.github.s3lite.test.S3ProxyServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Restore on startup, replication and shutdown, end to end: a real application context, the real
 * litestream binary and a real S3 API (S3Proxy on 127.0.0.1).
 */
class RestoreAndReplicationTests {

	private static final String BUCKET = "s3lite-tests";

	@RegisterExtension
	static final S3ProxyServer s3 = S3ProxyServer.withBucket(BUCKET);

	@TempDir
	Path dir;

	private String prefix;

	private Path database;

	@BeforeEach
	void names(TestInfo info) {
		this.prefix = "db/" + info.getTestMethod().orElseThrow().getName();
		this.database = this.dir.resolve("data/app.sqlite3");
	}

	private ApplicationContextRunner app(String... properties) {
		String replica = "s3://" + BUCKET + "/" + this.prefix;
		return S3liteApps.withJdbc()
			.withPropertyValues(s3.s3liteProperties(this.database, replica))
			.withPropertyValues("s3lite.migrations[0]=CREATE TABLE IF NOT EXISTS items (id INTEGER PRIMARY KEY, name TEXT NOT NULL)")
			.withPropertyValues(properties);
	}

	private static void insert(JdbcTemplate jdbc, int from, int to) {
		for (int i = from; i <= to; i++) {
			jdbc.update("INSERT INTO items (id, name) VALUES (?, ?)", i, "item-" + i);
		}
	}

	private Path independentRestore() {
		return IndependentRestore.fromS3(s3, BUCKET, this.prefix, this.dir.resolve("check-" + System.nanoTime() + ".db"));
	}

	@Test
	void firstDeployOnAnEmptyBucketStartsWithAFreshDatabase() {
		app().run((context) -> {
			assertThat(context).hasNotFailed();
			JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
			assertThat(jdbc.queryForObject("SELECT count(*) FROM items", Integer.class)).isZero();
			insert(jdbc, 1, 1);
			context.getBean(ReplicatingDataSource.class).sync(Duration.ofSeconds(20));
		});
		assertThat(s3.keys(BUCKET, this.prefix)).anyMatch((key) -> key.contains("/snapshots/"));
	}

	@Test
	void firstDeployOnAnEmptyFileReplicaStartsWithAFreshDatabase() {
		Path replica = this.dir.resolve("replica");
		app("s3lite.restore-from=file:" + replica, "s3lite.backup-to=file:" + replica).run((context) -> {
			assertThat(context).hasNotFailed();
			insert(context.getBean(JdbcTemplate.class), 1, 3);
			context.getBean(ReplicatingDataSource.class).sync(Duration.ofSeconds(20));
		});
		Path restored = IndependentRestore.fromDirectory(replica, this.dir.resolve("restored.db"));
		assertThat(IndependentRestore.count(restored, "items")).isEqualTo(3);
	}

	@Test
	void rowsSurviveAGracefulStopAndAFreshRestoreWithoutAnExplicitSync() {
		app().run((context) -> insert(context.getBean(JdbcTemplate.class), 1, 250));
		S3liteAutoConfigurationTests.deleteDatabase(this.database);
		app().run((context) -> {
			assertThat(context).hasNotFailed();
			JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
			assertThat(jdbc.queryForObject("SELECT count(*) FROM items", Integer.class)).isEqualTo(250);
			assertThat(jdbc.queryForObject("SELECT name FROM items WHERE id = 250", String.class)).isEqualTo("item-250");
			assertThat(jdbc.queryForObject("PRAGMA integrity_check", String.class)).isEqualTo("ok");
		});
	}

	@Test
	@ExtendWith(OutputCaptureExtension.class)
	void aRestoreRemovesStaleLitestreamStateLeftNextToADeletedDatabaseWithoutAWarning(CapturedOutput output)
			throws Exception {
		app().run((context) -> insert(context.getBean(JdbcTemplate.class), 1, 10));
		Path meta = this.database.resolveSibling(".app.sqlite3-litestream");
		S3liteAutoConfigurationTests.deleteDatabase(this.database);
		assertThat(meta).isDirectory();
		int before = output.length();
		app().run((context) -> {
			assertThat(context).hasNotFailed();
			JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
			assertThat(jdbc.queryForObject("SELECT count(*) FROM items", Integer.class)).isEqualTo(10);
			insert(jdbc, 11, 11);
			context.getBean(ReplicatingDataSource.class).sync(Duration.ofSeconds(20));
		});
		String secondStart = output.toString().substring(before);
		assertThat(secondStart).contains("Removed stale state of the missing database " + this.database + ": " + meta);
		assertThat(secondStart.lines().filter((line) -> line.contains("WARN") || line.contains("ERROR")))
			.as("warnings and errors of the second start")
			.isEmpty();
	}

	@Test
	void keepingTheLocalFileContinuesTheSameGeneration() throws Exception {
		app().run((context) -> insert(context.getBean(JdbcTemplate.class), 1, 10));
		Path generationFile = this.database.resolveSibling(".app.sqlite3-litestream/generation");
		String generation = Files.readString(generationFile).strip();
		List<String> snapshotsBefore = snapshots();
		app().run((context) -> {
			insert(context.getBean(JdbcTemplate.class), 11, 20);
			ReplicatingDataSource dataSource = context.getBean(ReplicatingDataSource.class);
			dataSource.sync(Duration.ofSeconds(20));
			assertThat(dataSource.status().localPosition().generation()).isEqualTo(generation);
		});
		assertThat(Files.readString(generationFile).strip()).isEqualTo(generation);
		assertThat(snapshots()).isEqualTo(snapshotsBefore);
		assertThat(IndependentRestore.count(independentRestore(), "items")).isEqualTo(20);
	}

	private List<String> snapshots() {
		return s3.keys(BUCKET, this.prefix).stream().filter((key) -> key.contains("/snapshots/")).toList();
	}

	@Test
	void restoreNeverTouchesAnExistingLocalFile() throws Exception {
		app().run((context) -> {
			insert(context.getBean(JdbcTemplate.class), 1, 5);
			context.getBean(ReplicatingDataSource.class).sync(Duration.ofSeconds(20));
		});
		Path other = this.dir.resolve("other/app.sqlite3");
		Files.createDirectories(other.getParent());
		try (var connection = java.sql.DriverManager.getConnection("jdbc:sqlite:" + other)) {
			connection.createStatement().execute("CREATE TABLE local_only (id INTEGER)");
			connection.createStatement().execute("INSERT INTO local_only VALUES (7)");
		}
		S3liteApps.withJdbc()
			.withPropertyValues("s3lite.path=" + other, "s3lite.restore-from=s3://" + BUCKET + "/" + this.prefix,
					"s3lite.s3.endpoint=" + s3.endpoint(), "s3lite.s3.access-key-id=" + S3ProxyServer.ACCESS_KEY,
					"s3lite.s3.secret-access-key=" + S3ProxyServer.SECRET_KEY)
			.run((context) -> {
				JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
				assertThat(jdbc.queryForObject("SELECT id FROM local_only", Integer.class)).isEqualTo(7);
				assertThat(jdbc.queryForObject("SELECT count(*) FROM sqlite_master WHERE name = 'items'",
						Integer.class)).isZero();
			});
	}

	@Test
	void syncMakesAFreshRestoreSeeARowWrittenJustBefore() {
		// uploads only every 3 s: a sync that returned before the upload would leave the row out of the
		// restore right after it, instead of passing thanks to the next scheduled upload
		app("s3lite.litestream.sync-interval=3s").run((context) -> {
			JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
			insert(jdbc, 1, 1);
			ReplicatingDataSource dataSource = context.getBean(ReplicatingDataSource.class);
			dataSource.sync(Duration.ofSeconds(20));
			insert(jdbc, 2, 2);
			dataSource.sync(Duration.ofSeconds(20));
			Path restored = independentRestore();
			assertThat(IndependentRestore.queryLong(restored, "SELECT max(id) FROM items")).isEqualTo(2);
			ReplicationStatus status = dataSource.status();
			assertThat(status.replicatedPosition()).isNotNull();
			assertThat(status.replicatedPosition().reached(status.localPosition())).isTrue();
		});
	}

	@Test
	void aFailedMigrationFailsStartupNamingItsIndex() {
		app("s3lite.migrations[1]=CREATE TABLE IF NOT EXISTS fine (id INTEGER)",
				"s3lite.migrations[2]=CREATE TABBLE broken (id INTEGER)")
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure()).hasStackTraceContaining("s3lite.migrations[2]")
					.hasStackTraceContaining("CREATE TABBLE broken");
			});
	}

	@Test
	void aMissingBucketFailsStartupWithAClearMessage() {
		app("s3lite.restore-from=s3://no-such-bucket/db", "s3lite.backup-to=s3://no-such-bucket/db").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).hasStackTraceContaining("s3lite.restore-from")
				.hasStackTraceContaining("bucket 'no-such-bucket' does not exist");
			assertThat(Files.exists(this.database)).isFalse();
		});
	}

	@Test
	void aMissingBackupBucketFailsStartupEvenWhenTheLocalFileExists() {
		app("s3lite.restore-from=", "s3lite.backup-to=s3://no-such-bucket/db").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).hasStackTraceContaining("s3lite.backup-to")
				.hasStackTraceContaining("bucket 'no-such-bucket' does not exist");
		});
	}

	@Test
	void wrongCredentialsFailStartupWithAClearMessageAndNoSecretInIt() {
		app("s3lite.s3.secret-access-key=wrong-secret-value").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).hasStackTraceContaining("rejected the credentials")
				.hasStackTraceContaining("s3lite.s3.secret-access-key");
			StringBuilder chain = new StringBuilder();
			for (Throwable t = context.getStartupFailure(); t != null; t = t.getCause()) {
				chain.append(t.getMessage());
			}
			assertThat(chain.toString()).doesNotContain("wrong-secret-value");
			assertThat(Files.exists(this.database)).isFalse();
		});
	}

	@Test
	void aKilledLitestreamIsRestartedAndReplicationContinues() {
		app().run((context) -> {
			JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
			ReplicatingDataSource dataSource = context.getBean(ReplicatingDataSource.class);
			insert(jdbc, 1, 3);
			dataSource.sync(Duration.ofSeconds(20));
			long pid = ReplicatedApp.litestreamPid(dataSource.status());
			ProcessHandle.of(pid).orElseThrow().destroyForcibly();
			await("the restart").atMost(Duration.ofSeconds(20))
				.until(() -> dataSource.status().engineCounter("restarts") >= 1 && dataSource.status().replicating());
			assertThat(ReplicatedApp.litestreamPid(dataSource.status())).isNotEqualTo(pid);
			insert(jdbc, 4, 6);
			dataSource.sync(Duration.ofSeconds(20));
			assertThat(IndependentRestore.count(independentRestore(), "items")).isEqualTo(6);
		});
	}

}
