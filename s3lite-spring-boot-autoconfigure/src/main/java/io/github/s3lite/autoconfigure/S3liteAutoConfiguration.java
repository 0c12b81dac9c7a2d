package io.github.s3lite.autoconfigure;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;

import javax.sql.DataSource;

import com.zaxxer.hikari.HikariDataSource;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.bind.Bindable;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.sql.init.dependency.DatabaseInitializationDependencyConfigurer;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;

import io.github.s3lite.internal.config.S3liteConfig;
import io.github.s3lite.config.S3liteProperties;
import io.github.s3lite.internal.datasource.DatabaseLock;
import io.github.s3lite.internal.datasource.DurableCommits;
import io.github.s3lite.datasource.ReplicatingDataSource;
import io.github.s3lite.internal.datasource.ReplicationShutdownFlush;
import io.github.s3lite.internal.datasource.SqliteConnectionSource;
import io.github.s3lite.internal.engine.ReplicationEngine;
import io.github.s3lite.internal.lease.LeaseRole;
import io.github.s3lite.internal.lifecycle.DatabaseLifecycle;
import io.github.s3lite.internal.migration.SqlMigrations;
import io.github.s3lite.internal.litestream.LitestreamReplication;
import io.github.s3lite.internal.nativeengine.NativeEngine;
import io.github.s3lite.internal.nativeengine.NativeFollowFile;
import io.github.s3lite.internal.nativeengine.format.LitestreamV03Format;
import io.github.s3lite.replication.Replication;
import io.github.s3lite.internal.restore.BackgroundRestore;
import io.github.s3lite.internal.restore.RestoreResult;
import io.github.s3lite.internal.role.RoleWatch;
import io.github.s3lite.internal.startup.DatabaseStartup;
import io.github.s3lite.internal.startup.LeasedStartup;
import io.github.s3lite.internal.startup.LoneWriterStartup;
import io.github.s3lite.internal.storage.ReplicaStoreFactory;
import io.github.s3lite.internal.verification.ReplicaVerifier;

/**
 * Auto-configuration for s3lite: validates {@code s3lite.*}, locks the local database, takes the
 * single-writer lease when {@code s3lite.lease.enabled}, restores the database from its replica before
 * any {@link DataSource} exists, starts replication through the
 * {@link ReplicationEngine}, provides the SQLite {@link ReplicatingDataSource}, runs
 * {@code s3lite.migrations} and flushes the replica at graceful shutdown.
 */
@AutoConfiguration(before = DataSourceAutoConfiguration.class)
@ConditionalOnClass(name = "org.sqlite.SQLiteDataSource", value = HikariDataSource.class)
@ConditionalOnBooleanProperty(name = "s3lite.enabled", matchIfMissing = true)
@EnableConfigurationProperties(S3liteProperties.class)
@Import({ DatabaseInitializationDependencyConfigurer.class, ReplicationEngineConfiguration.class })
public final class S3liteAutoConfiguration {

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

	/**
	 * The configuration, bound and validated once ({@link S3liteSetup}), with the application's S3
	 * connection.
	 */
	@Bean
	S3liteConfig s3liteConfig(ObjectProvider<S3liteSetup> s3liteSetup, S3liteConnectionDetails connectionDetails,
			ObjectProvider<S3liteS3ClientCustomizer> s3ClientCustomizers, Environment environment,
			ConfigurableListableBeanFactory beanFactory) {
		return s3liteSetup.getIfAvailable(() -> S3liteSetup.bind(environment, null))
			.config(connectionDetails, S3ClientCustomizers.inOrder(s3ClientCustomizers), beanFactory, environment);
	}

	@Bean(destroyMethod = "close")
	DatabaseLock s3liteDatabaseLock(S3liteConfig config, ObjectProvider<BackgroundRestore> backgroundRestore) {
		return DatabaseStartup.lock(config, backgroundRestore.getIfAvailable());
	}

	@Bean
	RestoreResult s3liteRestore(DatabaseStartup s3liteDatabaseStartup) {
		return s3liteDatabaseStartup.restore();
	}

	@Bean(name = DataSourceDependsOnReplicationPostProcessor.REPLICATION_BEAN, destroyMethod = "stop")
	Replication s3liteReplication(DatabaseStartup s3liteDatabaseStartup, RestoreResult s3liteRestore) {
		return s3liteDatabaseStartup.startReplication(s3liteRestore);
	}

	/**
	 * The pool, with {@code spring.datasource.hikari.*} bound onto it as Boot does for its own Hikari
	 * pool (bound here rather than through {@code @ConfigurationProperties}, which would copy Boot's
	 * Hikari properties into s3lite's metadata).
	 */
	@Bean
	@ConditionalOnMissingBean(DataSource.class)
	ReplicatingDataSource dataSource(S3liteConfig config, Replication s3liteReplication,
			DatabaseStartup s3liteDatabaseStartup, DatabaseLifecycle s3liteLifecycle, ReplicationEngine engine,
			Environment environment) {
		SqliteConnectionSource connections = new SqliteConnectionSource(config.databasePath(), config.synchronous(),
				config.txLock(), config.busyTimeout(), s3liteDatabaseStartup.engineStatements(), s3liteLifecycle,
				DurableCommits.of(config, s3liteReplication, engine.name()));
		ReplicatingDataSource dataSource = new ReplicatingDataSource(connections, s3liteReplication);
		// an instance that changes role suspends the pool while it replaces the stale file
		dataSource.setAllowPoolSuspension(s3liteDatabaseStartup.changesRole());
		Binder.get(environment).bind("spring.datasource.hikari", Bindable.ofInstance(dataSource));
		return dataSource;
	}

	@Bean
	ReplicationShutdownFlush s3liteShutdownFlush(S3liteConfig config, Replication s3liteReplication) {
		return new ReplicationShutdownFlush(s3liteReplication, config.shutdownSyncTimeout());
	}

	@Bean(destroyMethod = "close")
	ReplicaVerifier s3liteReplicaVerifier(ObjectProvider<ReplicatingDataSource> dataSources, S3liteConfig config,
			Replication s3liteReplication, ReplicationEngine engine, DatabaseStartup s3liteDatabaseStartup) {
		DataSource database = LocalDatabase.of(config, s3liteReplication, s3liteDatabaseStartup.engineStatements(),
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
			Replication s3liteReplication, DatabaseStartup s3liteDatabaseStartup) {
		return new SqlMigrations(LocalDatabase.of(config, s3liteReplication, s3liteDatabaseStartup.engineStatements(),
				dataSources.orderedStream()), s3liteDatabaseStartup.migrations());
	}

	/**
	 * With the single-writer lease: this instance writes while it holds the lease, and follows otherwise.
	 */
	@Configuration(proxyBeanMethods = false)
	@Conditional(OnLeaseCondition.class)
	static class LeasedDatabaseConfiguration {

		/**
		 * The single-writer lease, taken before the restore so that what is restored is everything the
		 * previous writer replicated; released when the context closes, after the pool closed and
		 * replication stopped (they depend on it through the start-up).
		 */
		@Bean(destroyMethod = "close")
		LeaseRole s3liteLeaseRole(S3liteConfig config, DatabaseLock s3liteDatabaseLock, ReplicationEngine engine,
				ObjectProvider<BackgroundRestore> backgroundRestore, ApplicationContext context) {
			return LeasedStartup.takeLease(config, engine, backgroundRestore.getIfAvailable(),
					Instant.ofEpochMilli(context.getStartupDate()));
		}

		@Bean
		DatabaseLifecycle s3liteLifecycle(LeaseRole s3liteLeaseRole) {
			return s3liteLeaseRole.lifecycle();
		}

		@Bean
		LeasedStartup s3liteDatabaseStartup(S3liteConfig config, ReplicationEngine engine, LeaseRole s3liteLeaseRole,
				ObjectProvider<BackgroundRestore> backgroundRestore) {
			return new LeasedStartup(config, engine, s3liteLeaseRole, backgroundRestore.getIfAvailable());
		}

		/**
		 * Starts the lease's polling once every singleton exists: a follower asks for a hand-over and becomes
		 * the writer, a writer hands over on request. Closed before the pool, so no change of role starts
		 * while the context closes. The follow file is the native restore's: a promotion installs it instead
		 * of restoring only when the engine restores natively too (not with
		 * {@code s3lite.litestream.native-restore=false}, whose restore always starts a new generation).
		 */
		@Bean(destroyMethod = "close")
		RoleWatch s3liteRoleWatch(S3liteConfig config, ObjectProvider<ReplicatingDataSource> dataSources,
				ReplicationEngine engine, LeasedStartup s3liteDatabaseStartup, LeaseRole s3liteLeaseRole,
				Replication s3liteReplication) {
			boolean restoresNatively = NativeEngine.NAME.equals(engine.name())
					|| (LitestreamReplication.ENGINE.equals(engine.name()) && config.litestream().nativeRestore());
			return new RoleWatch(config, dataSources, engine, s3liteDatabaseStartup::replication, s3liteLeaseRole,
					(followFile) -> new NativeFollowFile(followFile,
							ReplicaStoreFactory.open(config.backupTo(), config.s3()), new LitestreamV03Format()),
					restoresNatively);
		}

	}

	/**
	 * Without the single-writer lease: this instance is the writer from the end of start-up.
	 */
	@Configuration(proxyBeanMethods = false)
	@Conditional(OnLeaseCondition.Off.class)
	static class LoneWriterConfiguration {

		@Bean(destroyMethod = "stop")
		DatabaseLifecycle s3liteLifecycle(S3liteConfig config) {
			return new DatabaseLifecycle(Clock.systemUTC(), String.valueOf(config.databasePath()), null);
		}

		@Bean
		LoneWriterStartup s3liteDatabaseStartup(S3liteConfig config, ReplicationEngine engine,
				DatabaseLifecycle s3liteLifecycle, ObjectProvider<BackgroundRestore> backgroundRestore) {
			return new LoneWriterStartup(config, engine, s3liteLifecycle, backgroundRestore.getIfAvailable(),
					TrainingRun.active());
		}

	}

}
