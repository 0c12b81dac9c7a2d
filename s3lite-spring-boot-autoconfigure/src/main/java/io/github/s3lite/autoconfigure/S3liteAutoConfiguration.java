package io.github.s3lite.autoconfigure;

import java.nio.file.Files;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
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
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.core.env.Environment;

import io.github.s3lite.config.DataSourceUrlCheck;
import io.github.s3lite.config.LeaseOptions;
import io.github.s3lite.config.ReplicaPairCheck;
import io.github.s3lite.config.S3Connection;
import io.github.s3lite.config.S3liteConfig;
import io.github.s3lite.config.S3liteProperties;
import io.github.s3lite.config.UnknownPropertyCheck;
import io.github.s3lite.datasource.DatabaseLock;
import io.github.s3lite.datasource.DurableCommits;
import io.github.s3lite.datasource.LocalDatabase;
import io.github.s3lite.datasource.ReplicatingDataSource;
import io.github.s3lite.datasource.ReplicationShutdownFlush;
import io.github.s3lite.datasource.SqliteConnectionSource;
import io.github.s3lite.datasource.SqliteDatabaseFile;
import io.github.s3lite.datasource.WriteGate;
import io.github.s3lite.engine.ReplicationEngine;
import io.github.s3lite.lease.LeaseRole;
import io.github.s3lite.lease.LeaseTiming;
import io.github.s3lite.lease.ReplicaLease;
import io.github.s3lite.migration.SqlMigrations;
import io.github.s3lite.replication.DurableReplication;
import io.github.s3lite.replication.Replication;
import io.github.s3lite.replication.SwitchableReplication;
import io.github.s3lite.restore.BackgroundRestore;
import io.github.s3lite.restore.ContinuationRule;
import io.github.s3lite.restore.DatabaseDirectory;
import io.github.s3lite.role.WriterTransitions;
import io.github.s3lite.restore.ReplicaCheck;
import io.github.s3lite.restore.ReplicaRestorer;
import io.github.s3lite.restore.RestoreResult;
import io.github.s3lite.storage.ReplicaStore;
import io.github.s3lite.storage.ReplicaStoreFactory;
import io.github.s3lite.verification.ReplicaVerifier;

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
			ObjectProvider<S3liteS3ClientCustomizer> s3ClientCustomizers, Environment environment,
			ConfigurableListableBeanFactory beanFactory) {
		S3Connection s3 = S3Connection.of(connectionDetails.getEndpoint(), connectionDetails.getRegion(),
				connectionDetails.getForcePathStyle(), connectionDetails.getAccessKeyId(),
				connectionDetails.getSecretAccessKey())
			.withClientCustomizers(S3ClientCustomizers.inOrder(s3ClientCustomizers));
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

	/**
	 * The single-writer lease, taken before the restore so that what is restored is everything the
	 * previous writer replicated; released when the context closes, after the pool closed and
	 * replication stopped (this bean is destroyed after them: they depend on it through the restore).
	 */
	@Bean
	WriteGate s3liteWriteGate(S3liteConfig config, DatabaseLock s3liteDatabaseLock, ReplicationEngine engine,
			ObjectProvider<BackgroundRestore> backgroundRestore, ApplicationContext context) {
		if (!config.lease().enabled()) {
			return WriteGate.ALWAYS_WRITER;
		}
		BackgroundRestore background = backgroundRestore.getIfAvailable();
		if (background != null && background.lock() == s3liteDatabaseLock && background.takesWriteGate()) {
			// taken on the restore's thread, before it restored (the local file is missing, so the restore
			// reports an unusable replica)
			return background.takeWriteGate();
		}
		LeaseRole role = takeLease(config, ReplicaStoreFactory.open(config.backupTo(), config.s3()),
				Instant.ofEpochMilli(context.getStartupDate()));
		boolean restoreReportsIt = config.restoreFrom() != null && !Files.exists(config.databasePath());
		if (role.leaseUnreadAtStartup() && !restoreReportsIt) {
			// a replica that can never work (missing bucket, rejected credentials) fails startup as without
			// the lease; one that is merely unreachable leaves this instance a follower that retries
			try {
				ReplicaCheck.check(engine, config.databasePath(), config.backupTo());
			}
			catch (RuntimeException ex) {
				role.close();
				throw ex;
			}
		}
		return role;
	}

	/**
	 * Take the lease on {@code s3lite.backup-to}, or start as a follower when another instance holds it.
	 * @param store the store of {@code s3lite.backup-to}, owned by the role from then on
	 * @param startedAt when the application context began to refresh
	 */
	static LeaseRole takeLease(S3liteConfig config, ReplicaStore store, Instant startedAt) {
		LeaseOptions options = config.lease();
		Clock clock = Clock.systemUTC();
		return LeaseRole.start(new ReplicaLease(store, options.owner(), new LeaseTiming(options.ttl()), clock), store,
				clock, startedAt);
	}

	@Bean
	RestoreResult s3liteRestore(S3liteConfig config, ReplicationEngine engine, DatabaseLock s3liteDatabaseLock,
			WriteGate s3liteWriteGate, ObjectProvider<BackgroundRestore> backgroundRestore) {
		BackgroundRestore background = backgroundRestore.getIfAvailable();
		if (background != null && background.lock() == s3liteDatabaseLock) {
			return background.await();
		}
		engine.releaseLeftovers(config.databasePath());
		if (s3liteWriteGate instanceof LeaseRole role && role.isWriter()) {
			return new StartupCatchUp(role.writerMark(), engine, config).restore();
		}
		return restore(config, engine, ContinuationRule.ALWAYS);
	}

	static RestoreResult restore(S3liteConfig config, ReplicationEngine engine, ContinuationRule continuation) {
		if (config.restoreFrom() == null) {
			return new RestoreResult(RestoreResult.Outcome.NOT_CONFIGURED, null, 0, Duration.ZERO);
		}
		return new ReplicaRestorer(engine, config.databasePath(), config.restoreFrom(), config.restoreTimeout(),
				"s3lite.restore-from", continuation)
			.restore();
	}

	@Bean(name = DataSourceDependsOnReplicationPostProcessor.REPLICATION_BEAN, destroyMethod = "stop")
	Replication s3liteReplication(S3liteConfig config, RestoreResult s3liteRestore, ReplicationEngine engine,
			WriteGate s3liteWriteGate) {
		SqliteDatabaseFile.initialize(config, engineStatements(config, engine));
		if (s3liteWriteGate instanceof LeaseRole role) {
			StartupCatchUp.mark(role, config.databasePath(), s3liteRestore.outcome());
		}
		if (!config.replicating()) {
			if (!TrainingRun.active()) {
				// a training run said what it skips in its own line (TrainingRun.adapt)
				logger.info("Replication is off (s3lite.backup-to is not set) for {}", config.databasePath());
			}
			return Replication.NONE;
		}
		boolean follower = s3liteWriteGate instanceof LeaseRole && !s3liteWriteGate.isWriter();
		boolean replicaJustRead = follower || config.backupTo().equals(config.restoreFrom())
				&& s3liteRestore.outcome() != RestoreResult.Outcome.LOCAL_FILE_EXISTS;
		if (!replicaJustRead) {
			ReplicaCheck.check(engine, config.databasePath(), config.backupTo());
		}
		if (s3liteWriteGate instanceof LeaseRole role) {
			// a follower does not replicate; it starts to when it becomes the writer (WriterTransitions)
			SwitchableReplication switchable = new SwitchableReplication(engine.name(), config.backupTo().toString(),
					role.isWriter() ? engine.start(config.databasePath(), config.backupTo(), role.replicaWritePermit())
							: null);
			// a fenced instance halts replication without a final upload, so that nothing it does can land
			// in the replica its successor may own by then; it starts again if the lease is re-taken
			s3liteWriteGate.whenFenced(() -> switchable.haltActive("this instance is fenced"));
			return switchable;
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
			WriteGate s3liteWriteGate, Environment environment) {
		SqliteConnectionSource connections = new SqliteConnectionSource(config.databasePath(), config.synchronous(),
				config.txLock(), config.busyTimeout(), engineStatements(config, engine), s3liteWriteGate,
				durableCommits(config, s3liteReplication, engine));
		ReplicatingDataSource dataSource = new ReplicatingDataSource(connections, s3liteReplication);
		// a follower that becomes the writer suspends the pool while it replaces the stale file
		dataSource.setAllowPoolSuspension(s3liteWriteGate instanceof LeaseRole);
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
			Replication s3liteReplication, ReplicationEngine engine, WriteGate s3liteWriteGate) {
		boolean follower = s3liteWriteGate instanceof LeaseRole && !s3liteWriteGate.isWriter();
		if (follower && !config.migrations().isEmpty()) {
			logger.info("s3lite.migrations deferred: this instance is a follower and runs them when it becomes the writer");
		}
		return new SqlMigrations(LocalDatabase.of(config, s3liteReplication, engineStatements(config, engine),
				dataSources.orderedStream()), follower ? List.of() : config.migrations());
	}

	/**
	 * Starts the lease's polling once the pool exists: a follower asks for a hand-over and becomes the
	 * writer, a writer hands over on request. Closed before the pool, so no change of role starts while
	 * the context closes.
	 */
	@Bean(destroyMethod = "close")
	WriterTransitions s3liteWriterTransitions(S3liteConfig config, ObjectProvider<ReplicatingDataSource> dataSources,
			ReplicationEngine engine, Replication s3liteReplication, WriteGate s3liteWriteGate) {
		ReplicatingDataSource pool = dataSources.orderedStream()
			.filter((candidate) -> candidate.getReplication() == s3liteReplication)
			.findFirst()
			.orElse(null);
		if (!(s3liteWriteGate instanceof LeaseRole role) || pool == null
				|| !(s3liteReplication instanceof SwitchableReplication switchable)) {
			if (s3liteWriteGate instanceof LeaseRole) {
				logger.warn("The lease is on but the DataSource is not s3lite's: this instance never changes role");
			}
			return null;
		}
		WriterTransitions transitions = new WriterTransitions(config, pool, engine, switchable,
				role.replicaWritePermit(), role.writerMark().continuationRule());
		role.watch(transitions);
		return transitions;
	}

	private static DurableCommits durableCommits(S3liteConfig config, Replication replication,
			ReplicationEngine engine) {
		if (!config.durableCommits()) {
			return DurableCommits.OFF;
		}
		if (!(replication instanceof DurableReplication durable)) {
			throw new IllegalStateException("s3lite.durable-commits=true needs an engine that supports durable "
					+ "commits (the native engine); the " + engine.name() + " engine does not");
		}
		logger.info("Durable commits: every commit that writes waits until {} holds it (at most {})",
				config.backupTo(), config.durableCommitTimeout());
		return DurableCommits.awaiting(durable, config.durableCommitTimeout());
	}

	/**
	 * Return the statements every connection runs for the replication engine, none when the database
	 * is not replicated.
	 */
	private static List<String> engineStatements(S3liteConfig config, ReplicationEngine engine) {
		return config.replicating() ? engine.connectionStatements() : List.of();
	}

}
