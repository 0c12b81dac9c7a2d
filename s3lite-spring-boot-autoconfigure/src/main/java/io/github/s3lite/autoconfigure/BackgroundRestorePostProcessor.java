package io.github.s3lite.autoconfigure;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.DefaultSingletonBeanRegistry;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationContextAware;
import org.springframework.context.EnvironmentAware;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;

import io.github.s3lite.config.DataSourceUrlCheck;
import io.github.s3lite.config.S3Connection;
import io.github.s3lite.config.S3liteConfig;
import io.github.s3lite.config.S3liteProperties;
import io.github.s3lite.config.UnknownPropertyCheck;
import io.github.s3lite.datasource.DatabaseLock;
import io.github.s3lite.engine.ReplicationEngine;
import io.github.s3lite.litestream.LitestreamBinaryResolver;
import io.github.s3lite.restore.BackgroundRestore;
import io.github.s3lite.restore.DatabaseDirectory;
import io.github.s3lite.startup.BackgroundStartup;

/**
 * Starts the startup restore as early as the configuration allows, at the bean-factory post-processing
 * stage, on a {@link BackgroundRestore} thread, so that it overlaps the rest of the context refresh
 * (web server, beans that do not need the database); {@code s3liteRestore} awaits it. The database lock
 * is taken first, here; with {@code s3lite.lease.enabled}, the thread takes the lease before it restores
 * and the {@code s3liteLeaseRole} bean takes the lease over from it. It binds {@code s3lite.*} with a {@link Binder} (a post-processor must not fetch
 * {@code @ConfigurationProperties} beans) and starts nothing, leaving the restore to
 * {@code s3liteRestore} in line, whenever the early start cannot be sure to do exactly what that bean
 * would: an invalid configuration (the bean reports it), the application's own connection details,
 * engine, binary resolver or S3 client customizers (beans, which do not exist yet here), a local file
 * that exists, a lock that cannot be taken, a training run or Spring AOT processing. The engine is
 * chosen on the restore's thread (after the lease), so resolving the litestream binary never delays the
 * main thread here; an engine that cannot be chosen fails the restore with the engine bean's own
 * exception.
 */
final class BackgroundRestorePostProcessor
		implements BeanFactoryPostProcessor, EnvironmentAware, ApplicationContextAware, Ordered {

	/** Name of the {@link BackgroundRestore} singleton. */
	static final String BEAN_NAME = "s3liteBackgroundRestore";

	private static final Logger logger = LoggerFactory.getLogger(BackgroundRestorePostProcessor.class);

	private Environment environment;

	private Instant startedAt = Instant.now();

	@Override
	public void setEnvironment(Environment environment) {
		this.environment = environment;
	}

	@Override
	public void setApplicationContext(ApplicationContext context) {
		this.startedAt = Instant.ofEpochMilli(context.getStartupDate());
	}

	@Override
	public int getOrder() {
		return Ordered.LOWEST_PRECEDENCE;
	}

	@Override
	public void postProcessBeanFactory(ConfigurableListableBeanFactory beanFactory) {
		if (!(beanFactory instanceof DefaultSingletonBeanRegistry registry) || beanFactory.containsBean(BEAN_NAME)) {
			return;
		}
		String reason = reasonToRestoreInLine(beanFactory);
		if (reason != null) {
			logger.debug("Not restoring in the background: {}", reason);
			return;
		}
		S3liteConfig config;
		try {
			config = config();
		}
		catch (RuntimeException ex) {
			logger.debug("Not restoring in the background: the configuration is not valid", ex);
			return;
		}
		Path database = config.databasePath();
		if (config.restoreFrom() == null || Files.exists(database)) {
			return;
		}
		DatabaseLock lock;
		try {
			DatabaseDirectory.prepare(database);
			lock = DatabaseLock.acquire(database);
		}
		catch (RuntimeException ex) {
			logger.debug("Not restoring in the background: the database cannot be locked", ex);
			return;
		}
		BackgroundRestore restore = BackgroundStartup.start(config, lock, this.startedAt, () -> engine(config));
		beanFactory.registerSingleton(BEAN_NAME, restore);
		registry.registerDisposableBean(BEAN_NAME, restore::close);
	}

	private String reasonToRestoreInLine(ConfigurableListableBeanFactory beanFactory) {
		if (Boolean.getBoolean("spring.aot.processing")) {
			return "Spring AOT processing";
		}
		if (TrainingRun.active()) {
			return "a training run";
		}
		String own = ownBean(beanFactory, S3liteConnectionDetails.class, "s3liteConnectionDetails");
		own = (own != null) ? own : ownBean(beanFactory, ReplicationEngine.class, "s3liteReplicationEngine");
		own = (own != null) ? own
				: ownBean(beanFactory, LitestreamBinaryResolver.class, "s3liteLitestreamBinaryResolver");
		own = (own != null) ? own : ownBean(beanFactory, S3liteS3ClientCustomizer.class, null);
		return (own != null) ? "the application defines " + own : null;
	}

	private static String ownBean(ConfigurableListableBeanFactory beanFactory, Class<?> type, String ours) {
		for (String name : beanFactory.getBeanNamesForType(type, true, false)) {
			if (!name.equals(ours)) {
				return type.getSimpleName() + " '" + name + "'";
			}
		}
		return null;
	}

	/**
	 * Bind and validate the configuration as the {@code s3liteConfig} bean does, with the connection from
	 * {@code s3lite.s3.*}.
	 */
	private S3liteConfig config() {
		S3liteProperties properties = Binder.get(this.environment).bindOrCreate("s3lite", S3liteProperties.class);
		UnknownPropertyCheck.check(this.environment);
		PropertiesS3liteConnectionDetails details = new PropertiesS3liteConnectionDetails(properties);
		S3Connection s3 = S3Connection.of(details.getEndpoint(), details.getRegion(), details.getForcePathStyle(),
				details.getAccessKeyId(), details.getSecretAccessKey());
		S3liteConfig config = S3liteConfig.from(properties, s3);
		DataSourceUrlCheck.check(this.environment.getProperty("spring.datasource.url"), config.databasePath());
		FlywayUrlCheck.check(this.environment.getProperty("spring.flyway.url"), config.databasePath());
		return config;
	}

	/**
	 * The engine that restores: the one {@link ReplicationEngineConfiguration} chooses, from the same
	 * configuration (the choice is logged by the engine bean).
	 */
	private static ReplicationEngine engine(S3liteConfig config) {
		LitestreamBinaryResolver binaries = new LitestreamBinaryResolver(
				BackgroundRestorePostProcessor.class.getClassLoader(), config.litestream().binary(),
				config.litestream().cacheDir());
		return ReplicationEngineSelector.choose(config, binaries).engine();
	}

}
