package io.github.s3lite.autoconfigure;

import java.time.Duration;
import java.util.List;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.sql.init.dependency.DatabaseInitializationDependencyConfigurer;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;

import io.github.s3lite.config.DataSourceUrlCheck;
import io.github.s3lite.config.ReplicaPairCheck;
import io.github.s3lite.config.S3Connection;
import io.github.s3lite.config.S3liteConfig;
import io.github.s3lite.config.S3liteProperties;
import io.github.s3lite.config.UnknownPropertyCheck;
import io.github.s3lite.datasource.DatabaseLock;
import io.github.s3lite.datasource.LocalDatabase;
import io.github.s3lite.datasource.ReplicatingDataSource;
import io.github.s3lite.datasource.ReplicationShutdownFlush;
import io.github.s3lite.datasource.SqliteConnectionSource;
import io.github.s3lite.datasource.SqliteDatabaseFile;
import io.github.s3lite.engine.ReplicationEngine;
import io.github.s3lite.migration.SqlMigrations;
import io.github.s3lite.replication.Replication;
import io.github.s3lite.restore.BackgroundRestore;
import io.github.s3lite.restore.DatabaseDirectory;
import io.github.s3lite.restore.ReplicaCheck;
import io.github.s3lite.restore.ReplicaRestorer;
import io.github.s3lite.restore.RestoreResult;
import io.github.s3lite.verification.ReplicaVerifier;

/**
 * Auto-configuration for s3lite: validates {@code s3lite.*}, locks the local database, restores it from
 * its replica before any {@link DataSource} exists, starts replication through the
 * {@link ReplicationEngine}, provides the SQLite {@link ReplicatingDataSource}, runs
 * {@code s3lite.migrations} and flushes the replica at graceful shutdown.
 */
@AutoConfiguration(before = DataSourceAutoConfiguration.class)
@ConditionalOnClass(name = "org.sqlite.SQLiteDataSource", value = HikariDataSource.class)
@ConditionalOnBooleanProperty(name = "s3lite.enabled", matchIfMissing = true)
@EnableConfigurationProperties(S3liteProperties.class)
@Import({ DatabaseInitializationDependencyConfigurer.class, LitestreamEngineConfiguration.class })
public final class S3liteAutoConfiguration {

	private static final Logger logger = LoggerFactory.getLogger(S3liteAutoConfiguration.class);

	@Bean
	static DataSourceDependsOnReplicationPostProcessor s3liteDataSourceDependsOnReplicationPostProcessor() {
		return new DataSourceDependsOnReplicationPostProcessor();
	}

	@Bean
	static BackgroundRestorePostProcessor s3liteBackgroundRestorePostProcessor() {
		return new BackgroundRestorePostProcessor();
	}

	@Bean
	@ConditionalOnMissingBean(S3liteConnectionDetails.class)
	PropertiesS3liteConnectionDetails s3liteConnectionDetails(S3liteProperties properties) {
		return new PropertiesS3liteConnectionDetails(properties);
	}

	@Bean
	S3liteConfig s3liteConfig(S3liteProperties properties, S3liteConnectionDetails connectionDetails,
			Environment environment, ConfigurableListableBeanFactory beanFactory) {
		S3Connection s3 = S3Connection.of(connectionDetails.getEndpoint(), connectionDetails.getRegion(),
				connectionDetails.getForcePathStyle(), connectionDetails.getAccessKeyId(),
				connectionDetails.getSecretAccessKey());
		UnknownPropertyCheck.check(environment);
		S3liteConfig config = S3liteConfig.from(properties, s3);
		ReplicaPairCheck.check(config);
		if (providesDataSource(beanFactory)) {
			checkDataSourceUrl(environment.getProperty("spring.datasource.url"), config);
		}
		FlywayUrlCheck.check(environment.getProperty("spring.flyway.url"), config.databasePath());
		return TrainingRun.adapt(config);
	}

	private static boolean providesDataSource(ConfigurableListableBeanFactory beanFactory) {
		Class<?> type = beanFactory.containsBeanDefinition("dataSource") ? beanFactory.getType("dataSource", false)
				: null;
		return type != null && ReplicatingDataSource.class.isAssignableFrom(type);
	}

	private static void checkDataSourceUrl(String url, S3liteConfig config) {
		if (DataSourceUrlCheck.check(url, config.databasePath())) {
			logger.info("spring.datasource.url matches s3lite.path; s3lite provides the DataSource");
		}
	}

	@Bean(destroyMethod = "close")
	DatabaseLock s3liteDatabaseLock(S3liteConfig config, ObjectProvider<BackgroundRestore> backgroundRestore) {
		BackgroundRestore background = backgroundRestore.getIfAvailable();
		if (background != null && background.restores(config.databasePath(), String.valueOf(config.restoreFrom()))) {
			return background.lock();
		}
		DatabaseDirectory.prepare(config.databasePath());
		return DatabaseLock.acquire(config.databasePath());
	}

	@Bean
	RestoreResult s3liteRestore(S3liteConfig config, ReplicationEngine engine, DatabaseLock s3liteDatabaseLock,
			ObjectProvider<BackgroundRestore> backgroundRestore) {
		BackgroundRestore background = backgroundRestore.getIfAvailable();
		if (background != null && background.lock() == s3liteDatabaseLock) {
			return background.await();
		}
		engine.releaseLeftovers(config.databasePath());
		if (config.restoreFrom() == null) {
			return new RestoreResult(RestoreResult.Outcome.NOT_CONFIGURED, null, 0, Duration.ZERO);
		}
		return new ReplicaRestorer(engine, config.databasePath(), config.restoreFrom(), config.restoreTimeout(),
				"s3lite.restore-from")
			.restore();
	}

	@Bean(name = DataSourceDependsOnReplicationPostProcessor.REPLICATION_BEAN, destroyMethod = "stop")
	Replication s3liteReplication(S3liteConfig config, RestoreResult s3liteRestore, ReplicationEngine engine) {
		SqliteDatabaseFile.initialize(config, engineStatements(config, engine));
		if (!config.replicating()) {
			logger.info("Replication is off (s3lite.backup-to is not set) for {}", config.databasePath());
			return Replication.NONE;
		}
		boolean replicaJustRead = config.backupTo().equals(config.restoreFrom())
				&& s3liteRestore.outcome() != RestoreResult.Outcome.LOCAL_FILE_EXISTS;
		if (!replicaJustRead) {
			ReplicaCheck.check(engine, config.databasePath(), config.backupTo());
		}
		return engine.start(config.databasePath(), config.backupTo());
	}

	/**
	 * The pool, with {@code spring.datasource.hikari.*} bound onto it as Boot does for its own Hikari
	 * pool (bound here rather than through {@code @ConfigurationProperties}, which would copy Boot's
	 * Hikari properties into s3lite's metadata).
	 */
	@Bean
	@ConditionalOnMissingBean(DataSource.class)
	ReplicatingDataSource dataSource(S3liteConfig config, Replication s3liteReplication, ReplicationEngine engine,
			Environment environment) {
		SqliteConnectionSource connections = new SqliteConnectionSource(config.databasePath(), config.synchronous(),
				config.txLock(), config.busyTimeout(), engineStatements(config, engine));
		ReplicatingDataSource dataSource = new ReplicatingDataSource(connections, s3liteReplication);
		Binder.get(environment).bind("spring.datasource.hikari", Bindable.ofInstance(dataSource));
		return dataSource;
	}

	@Bean
	ReplicationShutdownFlush s3liteShutdownFlush(S3liteConfig config, Replication s3liteReplication) {
		return new ReplicationShutdownFlush(s3liteReplication, config.shutdownSyncTimeout());
	}

	@Bean(destroyMethod = "close")
	ReplicaVerifier s3liteReplicaVerifier(ObjectProvider<ReplicatingDataSource> dataSources, S3liteConfig config,
			Replication s3liteReplication, ReplicationEngine engine) {
		DataSource database = LocalDatabase.of(config, s3liteReplication, engineStatements(config, engine),
				dataSources.orderedStream());
		ReplicaVerifier verifier = new ReplicaVerifier(database, s3liteReplication, engine, config.backupTo(),
				config.operations().verificationTimeout());
		Duration interval = config.operations().verificationInterval();
		if (interval != null && config.replicating()) {
			verifier.schedule(interval);
		}
		return verifier;
	}

	@Bean
	SqlMigrations s3liteMigrations(ObjectProvider<ReplicatingDataSource> dataSources, S3liteConfig config,
			Replication s3liteReplication, ReplicationEngine engine) {
		return new SqlMigrations(LocalDatabase.of(config, s3liteReplication, engineStatements(config, engine),
				dataSources.orderedStream()), config.migrations());
	}

	/**
	 * Return the statements every connection runs for the replication engine, none when the database
	 * is not replicated.
	 */
	private static List<String> engineStatements(S3liteConfig config, ReplicationEngine engine) {
		return config.replicating() ? engine.connectionStatements() : List.of();
	}

}
