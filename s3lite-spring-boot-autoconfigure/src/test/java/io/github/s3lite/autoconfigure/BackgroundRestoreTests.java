package io.github.s3lite.autoconfigure;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.stream.Stream;

import javax.sql.DataSource;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteDataSource;

import org.springframework.beans.factory.BeanFactory;
import org.springframework.beans.factory.BeanFactoryAware;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.JdbcTemplate;

import io.github.s3lite.internal.datasource.DatabaseLock;
import io.github.s3lite.datasource.ReplicatingDataSource;
import io.github.s3lite.internal.datasource.WriteGate;
import io.github.s3lite.internal.lease.LeaseRecord;
import io.github.s3lite.internal.lease.LeaseRole;
import io.github.s3lite.internal.restore.BackgroundRestore;
import io.github.s3lite.internal.restore.RestoreResult;
import io.github.s3lite.test.GatedProxy;
import io.github.s3lite.test.S3ProxyServer;
import io.github.s3lite.testapp.MinimalS3liteApplication;
import io.github.s3lite.testapp.S3liteApps;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;
import static org.awaitility.Awaitility.await;

/**
 * The startup restore runs on its own thread while the context refresh goes on, and the first bean that
 * needs the database waits for it. Real litestream, a real S3 API (S3Proxy), and a proxy that holds the
 * restore's connections for as long as a test needs, so that the overlap is shown without timing.
 */
class BackgroundRestoreTests {

	private static final String BUCKET = "s3lite-background-restore";

	@RegisterExtension
	static final S3ProxyServer s3 = S3ProxyServer.withBucket(BUCKET);

	/** The proxy the restore of the running test goes through; read by {@link RestoreWatcher}. */
	static volatile GatedProxy proxy;

	@TempDir
	Path dir;

	private String replica;

	private Path database;

	@BeforeEach
	void names(TestInfo info) {
		this.replica = "s3://" + BUCKET + "/db/" + info.getTestMethod().orElseThrow().getName();
		this.database = this.dir.resolve("data/app.sqlite3");
	}

	private ApplicationContextRunner app(String... properties) {
		return S3liteApps.withJdbc()
			.withPropertyValues(s3.s3liteProperties(this.database, this.replica))
			.withPropertyValues("s3lite.migrations[0]=CREATE TABLE IF NOT EXISTS items (id INTEGER PRIMARY KEY)")
			// most tests are about the restore alone; those with the lease turn it back on
			.withPropertyValues("s3lite.lease.enabled=false")
			.withPropertyValues(properties);
	}

	private void seedReplicaWithRows(int rows) {
		app().run((context) -> {
			JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
			for (int i = 1; i <= rows; i++) {
				jdbc.update("INSERT INTO items (id) VALUES (?)", i);
			}
			context.getBean(ReplicatingDataSource.class).sync(Duration.ofSeconds(20));
		});
		S3liteAutoConfigurationTests.deleteDatabase(this.database);
	}

	@Test
	void aBeanThatDoesNotNeedTheDatabaseIsCreatedWhileTheRestoreIsStillRunning() {
		seedReplicaWithRows(20);
		try (GatedProxy gated = GatedProxy.forward(s3.port())) {
			proxy = gated;
			app("s3lite.s3.endpoint=" + gated.endpoint()).withBean(RestoreWatcher.class).run((context) -> {
				assertThat(context).hasNotFailed();
				RestoreWatcher watcher = context.getBean(RestoreWatcher.class);
				assertThat(watcher.restoreWasRunning).as("the restore was running when the bean was created").isTrue();
				assertThat(watcher.databaseExisted).isFalse();
				assertThat(context.getBean(RestoreResult.class).outcome()).isEqualTo(RestoreResult.Outcome.RESTORED);
				assertThat(context.getBean(JdbcTemplate.class).queryForObject("SELECT count(*) FROM items", Integer.class))
					.isEqualTo(20);
			});
		}
	}

	@Test
	void aUserDefinedDataSourceSeesTheRestoredFile() {
		seedReplicaWithRows(7);
		app().withUserConfiguration(OwnDataSource.class).run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context).hasSingleBean(BackgroundRestore.class).doesNotHaveBean(ReplicatingDataSource.class);
			assertThat(context.getBean(JdbcTemplate.class).queryForObject("SELECT count(*) FROM items", Integer.class))
				.isEqualTo(7);
		});
	}

	@Test
	void flywayMigratesTheRestoredFileAndDoesNotRunV1Again() {
		ApplicationContextRunner flyway = app("spring.flyway.locations=classpath:db/s3lite-flyway-test")
			.withConfiguration(AutoConfigurations.of(S3liteFlywayAutoConfiguration.class, FlywayAutoConfiguration.class));
		flyway.run((context) -> {
			assertThat(context).hasNotFailed();
			context.getBean(JdbcTemplate.class).update("INSERT INTO notes (id, body) VALUES (2, 'before the restore')");
			context.getBean(ReplicatingDataSource.class).sync(Duration.ofSeconds(20));
		});
		S3liteAutoConfigurationTests.deleteDatabase(this.database);
		flyway.run((context) -> {
			assertThat(context).hasNotFailed().hasSingleBean(BackgroundRestore.class);
			JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
			assertThat(jdbc.queryForList("SELECT body FROM notes ORDER BY id", String.class))
				.containsExactly("created by V1", "before the restore");
			assertThat(jdbc.queryForObject("SELECT count(*) FROM flyway_schema_history WHERE version = '1'",
					Integer.class)).isOne();
			assertThat(jdbc.queryForObject("SELECT count(*) FROM flyway_schema_history WHERE type = 'SQL' AND success = 1",
					Integer.class)).isEqualTo(2);
		});
	}

	@Test
	@ExtendWith(OutputCaptureExtension.class)
	void aFailingRestoreFailsStartupWithTheRestoreReportAndLeavesNothingAtThePath(CapturedOutput output) {
		String missing = "s3://no-such-bucket/db";
		assertThatException().isThrownBy(() -> new SpringApplicationBuilder(MinimalS3liteApplication.class)
			.web(WebApplicationType.NONE)
			.properties("s3lite.path=" + this.database, "s3lite.restore-from=" + missing, "s3lite.backup-to=" + missing,
					"s3lite.s3.endpoint=" + s3.endpoint(), "s3lite.s3.access-key-id=" + S3ProxyServer.ACCESS_KEY,
					"s3lite.s3.secret-access-key=" + S3ProxyServer.SECRET_KEY, "s3lite.lease.enabled=false")
			.run()
			.close());
		assertThat(output.toString()).contains("APPLICATION FAILED TO START")
			.contains("bucket 'no-such-bucket' does not exist")
			.contains("Create the bucket")
			.contains("s3lite-restore");
		assertThat(filesIn(this.database.getParent())).containsExactly(".app.sqlite3.s3lite-lock");
	}

	@Test
	void anExistingLocalFileIsNeitherRestoredNorTouchedInTheBackground() throws Exception {
		seedReplicaWithRows(3);
		Files.createDirectories(this.database.getParent());
		try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + this.database)) {
			connection.createStatement().execute("CREATE TABLE local_only (id INTEGER)");
			connection.createStatement().execute("INSERT INTO local_only VALUES (7)");
		}
		app().run((context) -> {
			assertThat(context).hasNotFailed().doesNotHaveBean(BackgroundRestore.class);
			assertThat(context.getBean(RestoreResult.class).outcome())
				.isEqualTo(RestoreResult.Outcome.LOCAL_FILE_EXISTS);
			JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
			assertThat(jdbc.queryForObject("SELECT id FROM local_only", Integer.class)).isEqualTo(7);
			assertThat(jdbc.queryForObject("SELECT count(*) FROM items", Integer.class)).isZero();
		});
	}

	@Test
	void aContextThatFailsBeforeTheRestoreFinishesStopsItAndLeavesNoFileNoThreadAndNoLock() {
		seedReplicaWithRows(5);
		try (GatedProxy gated = GatedProxy.forward(s3.port())) {
			proxy = gated;
			app("s3lite.s3.endpoint=" + gated.endpoint()).withBean(FailingWhileRestoring.class).run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure()).hasRootCauseMessage("failing while the restore runs");
			});
			assertThat(restoreThreads()).isEmpty();
			assertThat(litestreamRestores()).isEmpty();
			assertThat(filesIn(this.database.getParent())).containsExactly(".app.sqlite3.s3lite-lock");
			DatabaseLock.acquire(this.database).close();
		}
	}

	private static List<Thread> restoreThreads() {
		return Thread.getAllStackTraces().keySet().stream().filter((t) -> t.getName().equals("s3lite-restore")).toList();
	}

	private static List<ProcessHandle> litestreamRestores() {
		return ProcessHandle.current()
			.descendants()
			.filter(ProcessHandle::isAlive)
			.filter((p) -> p.info().arguments().map((args) -> args.length > 0 && "restore".equals(args[0])).orElse(false))
			.toList();
	}

	private static List<String> filesIn(Path directory) {
		try (Stream<Path> files = Files.list(directory)) {
			return files.map((file) -> file.getFileName().toString()).sorted().toList();
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * A bean that does not need the database: it waits until the restore has opened a connection to S3
	 * (held by the proxy, so the restore cannot finish), notes that it is still running, then lets it go.
	 */
	static class RestoreWatcher implements BeanFactoryAware {

		volatile boolean restoreWasRunning;

		volatile boolean databaseExisted;

		@Override
		public void setBeanFactory(BeanFactory beanFactory) {
			BackgroundRestore restore = beanFactory.getBean(BackgroundRestore.class);
			await().atMost(Duration.ofSeconds(30)).until(() -> proxy.connections() > 0);
			this.restoreWasRunning = !restore.isDone();
			this.databaseExisted = Files
				.exists(Path.of(beanFactory.getBean(Environment.class).getRequiredProperty("s3lite.path")));
			proxy.open();
		}

	}

	/**
	 * A bean whose creation fails while the restore is held mid-flight.
	 */
	static class FailingWhileRestoring implements BeanFactoryAware {

		@Override
		public void setBeanFactory(BeanFactory beanFactory) {
			beanFactory.getBean(BackgroundRestore.class);
			await().atMost(Duration.ofSeconds(30)).until(() -> proxy.connections() > 0);
			throw new IllegalStateException("failing while the restore runs");
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class OwnDataSource {

		@Bean
		DataSource appDataSource(Environment environment) {
			SQLiteDataSource dataSource = new SQLiteDataSource();
			dataSource.setUrl("jdbc:sqlite:" + environment.getRequiredProperty("s3lite.path"));
			return dataSource;
		}

	}

	@Test
	void withTheLeaseOnTheRestoreThreadTakesTheLeaseFirstThenRestoresWhileTheContextRefreshes() {
		seedReplicaWithRows(5);
		try (GatedProxy gated = GatedProxy.forward(s3.port())) {
			proxy = gated;
			app("s3lite.lease.enabled=true", "s3lite.s3.endpoint=" + gated.endpoint()).withBean(RestoreWatcher.class)
				.run((context) -> {
					assertThat(context).hasNotFailed().hasSingleBean(BackgroundRestore.class);
					assertThat(context.getBean(RestoreWatcher.class).restoreWasRunning).isTrue();
					assertThat(context).hasSingleBean(LeaseRole.class);
					assertThat(context.getBean(WriteGate.class).isWriter()).isTrue();
					assertThat(context.getBean(RestoreResult.class).outcome())
						.isEqualTo(RestoreResult.Outcome.RESTORED);
					assertThat(context.getBean(JdbcTemplate.class)
						.queryForObject("SELECT count(*) FROM items", Integer.class)).isEqualTo(5);
					assertThat(s3.keys(BUCKET, this.replica.substring(("s3://" + BUCKET + "/").length()) + "/lock.json"))
						.hasSize(1);
				});
		}
		assertThat(liveLease()).as("the lease is released when the context closes").isFalse();
	}

	@Test
	void withTheLeaseOnAContextThatFailsWhileTakingTheLeaseReleasesItNeverStartsTheRestoreAndLeavesNoFile() {
		seedReplicaWithRows(5);
		// what the seeding app left (litestream's meta directory of the deleted database, its lock file)
		List<String> before = filesIn(this.database.getParent());
		try (GatedProxy gated = GatedProxy.forward(s3.port())) {
			proxy = gated;
			app("s3lite.lease.enabled=true", "s3lite.s3.endpoint=" + gated.endpoint())
				.withBean(FailingWhileRestoring.class)
				.run((context) -> assertThat(context).hasFailed());
			assertThat(restoreThreads()).isEmpty();
			assertThat(filesIn(this.database.getParent())).as("the restore never began: nothing written or removed")
				.isEqualTo(before);
		}
		assertThat(liveLease()).as("no lease is left behind").isFalse();
	}

	/** Whether {@code lock.json} holds a lease that has not expired (a release expires it). */
	private boolean liveLease() {
		byte[] lease = s3.getObject(BUCKET, this.replica.substring(("s3://" + BUCKET + "/").length()) + "/lock.json");
		return lease != null && !LeaseRecord.parse(lease).isExpiredAt(Instant.now());
	}

}
