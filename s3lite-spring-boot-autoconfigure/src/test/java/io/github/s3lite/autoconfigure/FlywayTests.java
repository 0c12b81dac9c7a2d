package io.github.s3lite.autoconfigure;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import javax.sql.DataSource;

import org.flywaydb.core.Flyway;
import org.flywaydb.core.api.callback.Callback;
import org.flywaydb.core.api.callback.Context;
import org.flywaydb.core.api.callback.Event;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration;
import org.springframework.boot.flyway.autoconfigure.FlywayConfigurationCustomizer;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.JdbcTemplateAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

import io.github.s3lite.internal.config.InvalidS3liteConfigException;
import io.github.s3lite.datasource.ReplicatingDataSource;
import io.github.s3lite.replication.Replication;
import io.github.s3lite.internal.restore.RestoreResult;
import io.github.s3lite.test.IndependentRestore;
import io.github.s3lite.test.S3ProxyServer;

import static org.awaitility.Awaitility.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Flyway ({@code spring-boot-starter-flyway}) migrates the s3lite database: the restored file,
 * through s3lite's own DataSource, after replication started, before {@code s3lite.migrations}.
 * Real Flyway, the real litestream binary and a real S3 API (S3Proxy on 127.0.0.1).
 */
class FlywayTests {

	private static final String BUCKET = "s3lite-flyway-tests";

	private static final String V1_TABLE_INDEX = "CREATE INDEX IF NOT EXISTS notes_body ON notes (body)";

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
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(S3liteAutoConfiguration.class, S3liteFlywayAutoConfiguration.class,
					DataSourceAutoConfiguration.class, FlywayAutoConfiguration.class, JdbcTemplateAutoConfiguration.class))
			.withUserConfiguration(MigrationObserver.class)
			.withPropertyValues(s3.s3liteProperties(this.database, replica))
			.withPropertyValues("spring.flyway.locations=classpath:db/s3lite-flyway-test",
					// depends on the table created by V1: fails unless Flyway ran first
					"s3lite.migrations[0]=" + V1_TABLE_INDEX,
					"s3lite.migrations[1]=INSERT OR IGNORE INTO notes (id, body) VALUES (2, 'added by s3lite.migrations')")
			.withPropertyValues(properties);
	}

	@Test
	void flywayMigratesTheS3liteDatabaseAfterReplicationStartedAndBeforeRawMigrations() {
		app().run((context) -> {
			assertThat(context).hasNotFailed();
			MigrationObserver observer = context.getBean(MigrationObserver.class);
			assertThat(observer.replicatingBeforeMigrate).containsExactly(true);
			Flyway flyway = context.getBean(Flyway.class);
			assertThat(flyway.getConfiguration().getDataSource()).isSameAs(context.getBean(ReplicatingDataSource.class));
			assertThat(flyway.getConfiguration().getUrl()).isNull();
			JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
			assertThat(jdbc.queryForList("SELECT body FROM notes ORDER BY id", String.class))
				.containsExactly("created by V1", "added by s3lite.migrations");
			assertThat(jdbc.queryForObject("SELECT count(*) FROM sqlite_master WHERE name = 'notes_body'",
					Integer.class)).isOne();
			context.getBean(ReplicatingDataSource.class).sync(Duration.ofSeconds(20));
			Path restored = IndependentRestore.fromS3(s3, BUCKET, this.prefix, this.dir.resolve("independent.db"));
			assertThat(IndependentRestore.queryLong(restored,
					"SELECT count(*) FROM flyway_schema_history WHERE success = 1 AND type = 'SQL'"))
				.isEqualTo(2);
		});
	}

	@Test
	void flywayHistorySurvivesARestoreSoV1IsNotRunAgain() {
		app().run((context) -> {
			assertThat(context).hasNotFailed();
			context.getBean(JdbcTemplate.class).update("INSERT INTO notes (id, body) VALUES (3, 'written by the app')");
		});
		S3liteAutoConfigurationTests.deleteDatabase(this.database);
		app().run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context.getBean(RestoreResult.class).outcome()).isEqualTo(RestoreResult.Outcome.RESTORED);
			assertThat(context.getBean(MigrationObserver.class).appliedMigrations).isEmpty();
			JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
			assertThat(jdbc.queryForList("SELECT body FROM notes ORDER BY id", String.class))
				.containsExactly("created by V1", "added by s3lite.migrations", "written by the app");
			assertThat(jdbc.queryForObject("SELECT count(*) FROM flyway_schema_history WHERE version = '1'",
					Integer.class)).isOne();
		});
	}

	@Test
	void aNewDatabaseThatLitestreamAlreadyTouchedIsStillMigratedFromV1() {
		// litestream adds its own tables at its first sync; Flyway must not take them for an existing schema
		app().withUserConfiguration(FlywayAfterLitestreamsFirstSync.class).run((context) -> {
			assertThat(context).hasNotFailed();
			JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
			assertThat(jdbc.queryForList("SELECT body FROM notes ORDER BY id", String.class))
				.containsExactly("created by V1", "added by s3lite.migrations");
			assertThat(context.getBean(MigrationObserver.class).appliedMigrations).containsExactly("1", "2");
			assertThat(context.getBean(Flyway.class).info().current().getVersion().getVersion()).isEqualTo("2");
		});
	}

	@Test
	void withoutFlywayOnTheClasspathS3liteStillStartsAndAddsNoFlywayCustomizer() {
		new ApplicationContextRunner().withClassLoader(new FilteredClassLoader(Flyway.class))
			.withConfiguration(AutoConfigurations.of(S3liteAutoConfiguration.class, S3liteFlywayAutoConfiguration.class,
					DataSourceAutoConfiguration.class))
			.withPropertyValues("s3lite.path=" + this.database)
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context).hasSingleBean(ReplicatingDataSource.class);
				assertThat(context).doesNotHaveBean(S3liteFlywayAutoConfiguration.class);
			});
	}

	@Test
	void flywayUrlPointingAtTheS3liteFileFailsStartup() {
		app("spring.flyway.url=jdbc:sqlite:" + this.database).run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.isInstanceOf(InvalidS3liteConfigException.class)
				.hasMessageContaining("spring.flyway.url");
		});
	}

	/**
	 * Holds Flyway back until litestream's first sync created its tables in the new database, as happens
	 * when startup is slow.
	 */
	@Configuration(proxyBeanMethods = false)
	static class FlywayAfterLitestreamsFirstSync {

		@Bean
		FlywayConfigurationCustomizer waitForLitestreamTables(DataSource dataSource) {
			return (configuration) -> {
				JdbcTemplate jdbc = new JdbcTemplate(dataSource);
				await("litestream's first sync").atMost(Duration.ofSeconds(20))
					.until(() -> jdbc.queryForObject(
							"SELECT count(*) FROM sqlite_master WHERE name = '_litestream_seq'", Integer.class) > 0);
			};
		}

	}

	/**
	 * A Flyway callback that records, before Flyway touches the database, whether s3lite was already
	 * replicating, and which migrations Flyway applied.
	 */
	static class MigrationObserver implements Callback {

		final List<Boolean> replicatingBeforeMigrate = new ArrayList<>();

		final List<String> appliedMigrations = new ArrayList<>();

		private final Replication replication;

		MigrationObserver(Replication replication) {
			this.replication = replication;
		}

		@Override
		public boolean supports(Event event, Context context) {
			return event == Event.BEFORE_MIGRATE || event == Event.AFTER_EACH_MIGRATE;
		}

		@Override
		public boolean canHandleInTransaction(Event event, Context context) {
			return true;
		}

		@Override
		public void handle(Event event, Context context) {
			if (event == Event.BEFORE_MIGRATE) {
				this.replicatingBeforeMigrate.add(this.replication.status().replicating());
			}
			else {
				this.appliedMigrations.add(context.getMigrationInfo().getVersion().toString());
			}
		}

		@Override
		public String getCallbackName() {
			return "s3lite-test-observer";
		}

	}

}
