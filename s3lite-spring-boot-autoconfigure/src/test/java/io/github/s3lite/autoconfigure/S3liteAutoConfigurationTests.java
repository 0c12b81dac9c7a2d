package io.github.s3lite.autoconfigure;

import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteConfig;
import org.sqlite.SQLiteDataSource;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

import io.github.s3lite.testapp.S3liteApps;
import io.github.s3lite.datasource.ReplicatingDataSource;
import io.github.s3lite.internal.migration.SqlMigrations;
import io.github.s3lite.replication.Replication;
import io.github.s3lite.internal.verification.ReplicaVerifier;
import io.github.s3lite.internal.verification.VerificationResult;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Conditions and wiring of {@link S3liteAutoConfiguration}.
 */
class S3liteAutoConfigurationTests {

	@TempDir
	Path dir;

	private ApplicationContextRunner runner() {
		return S3liteApps.withJdbc()
			.withPropertyValues("s3lite.path=" + this.dir.resolve("app.sqlite3"));
	}

	@Test
	void providesAReplicatingDataSourceWithTheSqlitePragmas() {
		runner().run((context) -> {
			assertThat(context).hasSingleBean(ReplicatingDataSource.class);
			DataSource dataSource = context.getBean(DataSource.class);
			assertThat(pragma(dataSource, "journal_mode")).isEqualTo("wal");
			assertThat(pragma(dataSource, "foreign_keys")).isEqualTo("1");
			assertThat(pragma(dataSource, "synchronous")).isEqualTo("1");
			assertThat(pragma(dataSource, "busy_timeout")).isEqualTo("5000");
			assertThat(pragma(dataSource, "wal_autocheckpoint")).isEqualTo("1000");
			assertThat(context.getBean(Replication.class)).isSameAs(Replication.NONE);
		});
	}

	@Test
	void appliesConfiguredPragmas() {
		runner().withPropertyValues("s3lite.synchronous=full", "s3lite.busy-timeout=2s").run((context) -> {
			DataSource dataSource = context.getBean(DataSource.class);
			assertThat(pragma(dataSource, "synchronous")).isEqualTo("2");
			assertThat(pragma(dataSource, "busy_timeout")).isEqualTo("2000");
		});
	}

	@Test
	void turnsAutocheckpointOffWhileReplicating() {
		runner().withPropertyValues("s3lite.backup-to=file:" + this.dir.resolve("replica")).run((context) -> {
			assertThat(pragma(context.getBean(DataSource.class), "wal_autocheckpoint")).isEqualTo("0");
			assertThat(context.getBean(ReplicatingDataSource.class).status().replicating()).isTrue();
		});
	}

	@Test
	void bindsHikariProperties() {
		runner().withPropertyValues("spring.datasource.hikari.maximum-pool-size=3", "spring.datasource.hikari.pool-name=notes")
			.run((context) -> {
				ReplicatingDataSource dataSource = context.getBean(ReplicatingDataSource.class);
				assertThat(dataSource.getMaximumPoolSize()).isEqualTo(3);
				assertThat(dataSource.getPoolName()).isEqualTo("notes");
			});
	}

	@Test
	void backsOffWhenDisabled() {
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(S3liteAutoConfiguration.class))
			.withPropertyValues("s3lite.path=" + this.dir.resolve("app.sqlite3"))
			.withPropertyValues("s3lite.enabled=false").run((context) -> {
			assertThat(context).doesNotHaveBean(ReplicatingDataSource.class);
			assertThat(context).doesNotHaveBean(SqlMigrations.class);
			assertThat(Files.exists(this.dir.resolve("app.sqlite3"))).isFalse();
		});
	}

	@Test
	void backsOffWithoutSqliteJdbc() {
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(S3liteAutoConfiguration.class))
			.withPropertyValues("s3lite.path=" + this.dir.resolve("app.sqlite3"))
			.withClassLoader(new FilteredClassLoader(SQLiteDataSource.class))
			.run((context) -> assertThat(context).doesNotHaveBean(ReplicatingDataSource.class)
				.doesNotHaveBean(Replication.class));
	}

	@Test
	void backsOffWhenTheUserDefinesADataSourceWhichStillWaitsForTheRestore() {
		Path replica = this.dir.resolve("replica");
		Path database = this.dir.resolve("app.sqlite3");
		runner().withPropertyValues("s3lite.backup-to=file:" + replica,
				"s3lite.migrations[0]=CREATE TABLE t (id INTEGER PRIMARY KEY)", "s3lite.migrations[1]=INSERT INTO t VALUES (42)")
			.run((context) -> context.getBean(ReplicatingDataSource.class).sync(java.time.Duration.ofSeconds(20)));
		deleteDatabase(database);
		UserDataSourceConfiguration.databaseExistedAtCreation.set(false);
		runner().withUserConfiguration(UserDataSourceConfiguration.class)
			.withPropertyValues("s3lite.restore-from=file:" + replica)
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context).doesNotHaveBean(ReplicatingDataSource.class);
				assertThat(context).hasSingleBean(DataSource.class);
				assertThat(UserDataSourceConfiguration.databaseExistedAtCreation).isTrue();
				assertThat(context.getBean(JdbcTemplate.class).queryForObject("SELECT id FROM t", Integer.class))
					.isEqualTo(42);
			});
	}

	@Test
	void runsMigrationsInOrderBeforeJdbcTemplateIsUsed() {
		runner().withUserConfiguration(ReadsAtConstruction.class)
			.withPropertyValues("s3lite.migrations[0]=CREATE TABLE IF NOT EXISTS a (id INTEGER PRIMARY KEY)",
					"s3lite.migrations[1]=INSERT INTO a (id) VALUES (1) ON CONFLICT DO NOTHING")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context.getBean(RowCountAtConstruction.class).rows()).isEqualTo(1);
			});
	}

	@Test
	void migrationsAndVerificationTouchOnlyTheDatabaseAtTheS3litePathNotAnUnrelatedUserDataSource() {
		Path database = this.dir.resolve("app.sqlite3");
		Path unrelated = this.dir.resolve("unrelated.sqlite3");
		runner().withBean("userDataSource", DataSource.class, () -> sqlite(unrelated))
			.withPropertyValues("s3lite.backup-to=file:" + this.dir.resolve("replica"),
					"s3lite.migrations[0]=CREATE TABLE IF NOT EXISTS m (id INTEGER PRIMARY KEY)")
			.run((context) -> {
				assertThat(context).hasNotFailed().doesNotHaveBean(ReplicatingDataSource.class);
				VerificationResult verification = context.getBean(ReplicaVerifier.class).verify();
				assertThat(verification.outcome()).as(verification.detail())
					.isEqualTo(VerificationResult.Outcome.VERIFIED);
				assertThat(tables(database)).contains("m", ReplicaVerifier.TABLE);
				assertThat(tables(unrelated)).doesNotContain("m", ReplicaVerifier.TABLE);
			});
	}

	@Test
	void migrationsAndVerificationUseS3litesOwnDataSource() {
		runner().withPropertyValues("s3lite.backup-to=file:" + this.dir.resolve("replica"),
				"s3lite.migrations[0]=CREATE TABLE IF NOT EXISTS m (id INTEGER PRIMARY KEY)")
			.run((context) -> {
				assertThat(context.getBean(ReplicaVerifier.class).verify().outcome())
					.isEqualTo(VerificationResult.Outcome.VERIFIED);
				assertThat(tables(this.dir.resolve("app.sqlite3"))).contains("m", ReplicaVerifier.TABLE);
			});
	}

	@Test
	void failsWhenSpringDatasourceUrlPointsElsewhere() {
		runner().withPropertyValues("spring.datasource.url=jdbc:sqlite:/tmp/other.db").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.hasMessageContaining("spring.datasource.url")
				.hasMessageContaining("s3lite.path");
		});
	}

	@Test
	void acceptsSpringDatasourceUrlMatchingThePath() {
		runner().withPropertyValues("spring.datasource.url=jdbc:sqlite:" + this.dir.resolve("app.sqlite3"))
			.run((context) -> assertThat(context).hasNotFailed().hasSingleBean(ReplicatingDataSource.class));
	}

	@Test
	void acceptsARelativeSpringDatasourceUrlNamingTheSameFileAsARelativePath() {
		Path relative = Path.of("").toAbsolutePath().relativize(this.dir.resolve("data/app.sqlite3"));
		runner()
			.withPropertyValues("s3lite.path=./" + relative, "spring.datasource.url=jdbc:sqlite:./" + relative)
			.run((context) -> assertThat(context).hasNotFailed().hasSingleBean(ReplicatingDataSource.class));
		runner()
			.withPropertyValues("s3lite.path=" + relative,
					"spring.datasource.url=jdbc:sqlite:file:" + this.dir.resolve("data/../data/app.sqlite3")
							+ "?journal_mode=WAL")
			.run((context) -> assertThat(context).hasNotFailed().hasSingleBean(ReplicatingDataSource.class));
	}

	static void deleteDatabase(Path database) {
		try {
			for (String suffix : new String[] { "", "-wal", "-shm" }) {
				Files.deleteIfExists(database.resolveSibling(database.getFileName() + suffix));
			}
		}
		catch (java.io.IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static SQLiteDataSource sqlite(Path database) {
		SQLiteDataSource dataSource = new SQLiteDataSource();
		dataSource.setUrl("jdbc:sqlite:" + database);
		return dataSource;
	}

	private static List<String> tables(Path database) throws SQLException {
		if (!Files.exists(database)) {
			return List.of();
		}
		SQLiteConfig readOnly = new SQLiteConfig();
		readOnly.setReadOnly(true);
		List<String> tables = new ArrayList<>();
		try (Connection connection = readOnly.createConnection("jdbc:sqlite:" + database);
				Statement statement = connection.createStatement();
				ResultSet result = statement.executeQuery("SELECT name FROM sqlite_master WHERE type = 'table'")) {
			while (result.next()) {
				tables.add(result.getString(1));
			}
		}
		return tables;
	}

	static String pragma(DataSource dataSource, String name) throws SQLException {
		try (Connection connection = dataSource.getConnection();
				Statement statement = connection.createStatement();
				ResultSet result = statement.executeQuery("PRAGMA " + name)) {
			result.next();
			return result.getString(1);
		}
	}

	/**
	 * A user bean that queries the migrated table while it is being constructed, through an injected
	 * {@link JdbcTemplate}: it fails with "no such table" unless the migrations ran before it.
	 */
	@Configuration(proxyBeanMethods = false)
	static class ReadsAtConstruction {

		@Bean
		RowCountAtConstruction rowCountAtConstruction(JdbcTemplate jdbc) {
			return new RowCountAtConstruction(jdbc.queryForObject("SELECT count(*) FROM a", Integer.class));
		}

	}

	record RowCountAtConstruction(int rows) {
	}

	@Configuration(proxyBeanMethods = false)
	static class UserDataSourceConfiguration {

		static final AtomicBoolean databaseExistedAtCreation = new AtomicBoolean();

		@Bean
		DataSource userDataSource(org.springframework.core.env.Environment environment) {
			Path database = Path.of(environment.getProperty("s3lite.path"));
			databaseExistedAtCreation.set(Files.exists(database));
			SQLiteDataSource dataSource = new SQLiteDataSource();
			dataSource.setUrl("jdbc:sqlite:" + database);
			return dataSource;
		}

	}

}
