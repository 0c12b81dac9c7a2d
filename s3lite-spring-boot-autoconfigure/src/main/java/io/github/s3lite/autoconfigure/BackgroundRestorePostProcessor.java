package io.github.s3lite.autoconfigure;

import java.time.Instant;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.config.BeanFactoryPostProcessor;
import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.beans.factory.support.BeanDefinitionRegistry;
import org.springframework.beans.factory.support.RootBeanDefinition;
import org.springframework.context.ApplicationContext;
import org.springframework.context.ApplicationContextAware;
import org.springframework.context.EnvironmentAware;
import org.springframework.core.Ordered;
import org.springframework.core.env.Environment;

import io.github.s3lite.internal.config.DataSourceUrlCheck;
import io.github.s3lite.internal.config.S3liteConfig;
import io.github.s3lite.internal.engine.ReplicationEngine;
import io.github.s3lite.internal.litestream.LitestreamBinaryResolver;
import io.github.s3lite.internal.restore.BackgroundRestore;
import io.github.s3lite.internal.startup.BackgroundStartup;

/**
 * Starts the startup restore as early as the configuration allows, at the bean-factory post-processing
 * stage, on a {@link BackgroundRestore} thread, so that it overlaps the rest of the context refresh
 * (web server, beans that do not need the database); {@code s3liteRestore} awaits it. The database lock
 * is taken first, here; with {@code s3lite.lease.enabled}, the thread takes the lease before it restores
 * and the {@code s3liteLeaseRole} bean takes the lease over from it. It binds and validates
 * {@code s3lite.*} once for the context ({@link S3liteSetup}, a bean from then on) and starts nothing,
 * leaving the restore to
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

	/** Name of the {@link BackgroundRestore} bean. */
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
		if (!(beanFactory instanceof BeanDefinitionRegistry registry) || beanFactory.containsBeanDefinition(BEAN_NAME)
				|| beanFactory.containsBeanDefinition(S3liteSetup.BEAN_NAME)
				|| Boolean.getBoolean("spring.aot.processing")) {
			// AOT processing records bean definitions as code, which an instance supplier cannot be
			return;
		}
		S3liteSetup setup = S3liteSetup.bind(this.environment, warmedUp(beanFactory));
		registry.registerBeanDefinition(S3liteSetup.BEAN_NAME, new RootBeanDefinition(S3liteSetup.class, () -> setup));
		BackgroundRestore restore = startRestore(beanFactory, setup);
		if (restore != null) {
			RootBeanDefinition definition = new RootBeanDefinition(BackgroundRestore.class, () -> restore);
			definition.setDestroyMethodName("close");
			registry.registerBeanDefinition(BEAN_NAME, definition);
		}
	}

	private static LitestreamBinaryResolver warmedUp(ConfigurableListableBeanFactory beanFactory) {
		return beanFactory.containsSingleton(WarmedUpResolver.BEAN_NAME)
				? ((WarmedUpResolver) beanFactory.getSingleton(WarmedUpResolver.BEAN_NAME)).resolver() : null;
	}

	private BackgroundRestore startRestore(ConfigurableListableBeanFactory beanFactory, S3liteSetup setup) {
		String reason = reasonToRestoreInLine(beanFactory);
		if (reason == null && !setup.isValid()) {
			reason = "the configuration is not valid";
		}
		if (reason == null && !DataSourceUrlCheck.agrees(this.environment.getProperty("spring.datasource.url"),
				setup.config().databasePath())) {
			reason = "spring.datasource.url names another database";
		}
		if (reason != null) {
			logger.debug("Not restoring in the background: {}", reason);
			return null;
		}
		S3liteConfig config = setup.config();
		// the engine is chosen on the restore's thread, as the engine bean chooses it (and logs the choice)
		return BackgroundStartup.startIfMissing(config, this.startedAt,
				() -> ReplicationEngineSelector.choose(config, setup.resolver()).engine());
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

}
