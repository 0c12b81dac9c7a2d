package io.github.s3lite.autoconfigure;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.bootstrap.BootstrapRegistry.InstanceSupplier;
import org.springframework.boot.bootstrap.ConfigurableBootstrapContext;
import org.springframework.boot.context.event.ApplicationEnvironmentPreparedEvent;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.context.ApplicationListener;
import org.springframework.core.Ordered;
import org.springframework.core.env.ConfigurableEnvironment;

import io.github.s3lite.config.EngineSelection;
import io.github.s3lite.internal.config.ReplicaUrl;
import io.github.s3lite.internal.config.S3liteConfig;
import io.github.s3lite.config.S3liteProperties;
import io.github.s3lite.internal.litestream.LitestreamBinaryResolver;
import io.github.s3lite.internal.storage.S3ClientWarmUp;

/**
 * Starts the slow first-time work of s3lite's start-up as soon as the environment is prepared, before
 * the application context exists, on a daemon thread, so that it overlaps the JVM's and Spring's own
 * start-up instead of delaying the restore and the engine: loading the AWS SDK ({@link S3ClientWarmUp},
 * which sends nothing) when a replica is in S3, and resolving the litestream binary (its SHA-256 check
 * and {@code litestream version}) when the engine may be litestream, with the resolver it hands to the
 * application context ({@link WarmedUpResolver}), which the engine then reuses. It
 * changes nothing: a configuration it cannot read is left to the beans that report it, and a training
 * run of the start-up accelerators only loads the SDK (so that the archive holds it) and starts no
 * process.
 */
final class StartupWarmUp implements ApplicationListener<ApplicationEnvironmentPreparedEvent>, Ordered {

	private static final Logger logger = LoggerFactory.getLogger(StartupWarmUp.class);

	@Override
	public int getOrder() {
		return Ordered.LOWEST_PRECEDENCE;
	}

	@Override
	public void onApplicationEvent(ApplicationEnvironmentPreparedEvent event) {
		if (Boolean.getBoolean("spring.aot.processing")) {
			return;
		}
		S3liteConfig config = config(event.getEnvironment());
		if (config == null || !config.needsEngine()) {
			return;
		}
		boolean s3 = isS3(config.restoreFrom()) || isS3(config.backupTo());
		boolean litestream = !TrainingRun.active() && config.engine() != EngineSelection.NATIVE
				&& !config.durableCommits();
		if (!s3 && !litestream) {
			return;
		}
		LitestreamBinaryResolver resolver = litestream ? new LitestreamBinaryResolver(
				StartupWarmUp.class.getClassLoader(), config.litestream().binary(), config.litestream().cacheDir())
				: null;
		if (resolver != null) {
			handOver(event.getBootstrapContext(), new WarmedUpResolver(resolver));
		}
		Thread thread = new Thread(() -> warmUp(s3, resolver), "s3lite-warm-up");
		thread.setDaemon(true);
		thread.setPriority(Thread.NORM_PRIORITY - 1);
		thread.start();
	}

	/**
	 * Hand the resolver to the application context (a bean once the bootstrap context closes), where
	 * {@link S3liteSetup} reuses it when the configuration names the same binary.
	 */
	private static void handOver(ConfigurableBootstrapContext bootstrap, WarmedUpResolver warmedUp) {
		bootstrap.registerIfAbsent(WarmedUpResolver.class, InstanceSupplier.of(warmedUp));
		bootstrap.addCloseListener((closed) -> {
			var beanFactory = closed.getApplicationContext().getBeanFactory();
			if (!beanFactory.containsBean(WarmedUpResolver.BEAN_NAME)) {
				beanFactory.registerSingleton(WarmedUpResolver.BEAN_NAME, closed.getBootstrapContext()
					.get(WarmedUpResolver.class));
			}
		});
	}

	private static void warmUp(boolean s3, LitestreamBinaryResolver resolver) {
		if (s3) {
			S3ClientWarmUp.run();
		}
		if (resolver != null) {
			try {
				resolver.resolve();
			}
			catch (RuntimeException ex) {
				logger.debug("The start-up warm-up could not resolve litestream; the engine will say why", ex);
			}
		}
	}

	private static boolean isS3(ReplicaUrl replica) {
		return replica != null && replica.scheme() == ReplicaUrl.Scheme.S3;
	}

	/**
	 * A speculative read of the configuration, before the context exists (its property sources may still
	 * change; {@link S3liteSetup} binds it for good), or {@code null} when disabled or not valid.
	 */
	private static S3liteConfig config(ConfigurableEnvironment environment) {
		try {
			S3liteProperties properties = Binder.get(environment).bindOrCreate("s3lite", S3liteProperties.class);
			if (!properties.isEnabled()) {
				return null;
			}
			return S3liteConfig.from(properties,
					S3liteSetup.connection(new PropertiesS3liteConnectionDetails(properties)));
		}
		catch (RuntimeException ex) {
			logger.debug("No start-up warm-up: the s3lite configuration is not valid (its beans will report it)", ex);
			return null;
		}
	}

}
