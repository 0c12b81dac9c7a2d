package io.github.s3lite.autoconfigure;

import java.util.List;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

import org.springframework.beans.factory.config.ConfigurableListableBeanFactory;
import org.springframework.boot.context.properties.bind.Binder;
import org.springframework.core.env.Environment;

import io.github.s3lite.internal.config.DataSourceUrlCheck;
import io.github.s3lite.internal.config.ReplicaPairCheck;
import io.github.s3lite.internal.config.S3Connection;
import io.github.s3lite.internal.config.S3liteConfig;
import io.github.s3lite.config.S3liteProperties;
import io.github.s3lite.internal.config.UnknownPropertyCheck;
import io.github.s3lite.datasource.ReplicatingDataSource;
import io.github.s3lite.internal.litestream.LitestreamBinaryResolver;

/**
 * The s3lite configuration of one application context, bound from {@code s3lite.*} and validated once,
 * when every property source is in place (the bean-factory post-processing stage,
 * {@link BackgroundRestorePostProcessor}, or the {@code s3liteConfig} bean when that stage did not run, as
 * in an AOT-processed application), with the connection from {@code s3lite.s3.*}; the bean completes it
 * with the application's connection details and S3 client customizers. A configuration that is not
 * valid is kept with its error, which the {@code s3liteConfig} bean throws (the early restore then does
 * not start). It also holds the context's one {@link LitestreamBinaryResolver}: the start-up warm-up's
 * when it resolves the same binary ({@link WarmedUpResolver}), so that the binary is verified once.
 */
final class S3liteSetup {

	/** Name of the bean. */
	static final String BEAN_NAME = "s3liteSetup";

	private static final Logger logger = LoggerFactory.getLogger(S3liteSetup.class);

	private final S3liteConfig config;

	private final RuntimeException invalid;

	private final LitestreamBinaryResolver resolver;

	private S3liteSetup(S3liteConfig config, RuntimeException invalid, LitestreamBinaryResolver resolver) {
		this.config = config;
		this.invalid = invalid;
		this.resolver = resolver;
	}

	/**
	 * Bind and validate {@code s3lite.*}.
	 * @param environment the environment, complete
	 * @param warmedUp the resolver the start-up warm-up started, or {@code null}
	 * @return the setup, valid or not
	 */
	static S3liteSetup bind(Environment environment, LitestreamBinaryResolver warmedUp) {
		S3liteConfig config;
		try {
			S3liteProperties properties = Binder.get(environment).bindOrCreate("s3lite", S3liteProperties.class);
			UnknownPropertyCheck.check(environment);
			config = S3liteConfig.from(properties, connection(new PropertiesS3liteConnectionDetails(properties)));
			ReplicaPairCheck.check(config);
			FlywayUrlCheck.check(environment.getProperty("spring.flyway.url"), config.databasePath());
			config = TrainingRun.adapt(config);
		}
		catch (RuntimeException ex) {
			return new S3liteSetup(null, ex, null);
		}
		LitestreamBinaryResolver resolver = (warmedUp != null
				&& warmedUp.resolvesFor(config.litestream().binary(), config.litestream().cacheDir())) ? warmedUp
						: new LitestreamBinaryResolver(S3liteSetup.class.getClassLoader(), config.litestream().binary(),
								config.litestream().cacheDir());
		return new S3liteSetup(config, null, resolver);
	}

	/**
	 * Return whether the configuration is valid.
	 * @return whether {@link #config()} returns
	 */
	boolean isValid() {
		return this.invalid == null;
	}

	/**
	 * Return the configuration, with the connection from {@code s3lite.s3.*}.
	 * @return the configuration
	 * @throws RuntimeException the validation's error, when not valid
	 */
	S3liteConfig config() {
		if (this.invalid != null) {
			throw this.invalid;
		}
		return this.config;
	}

	/**
	 * Return the configuration with the application's S3 connection: its connection details and S3 client
	 * customizers; checks {@code spring.datasource.url} when s3lite provides the {@code DataSource}.
	 * @param details the connection details
	 * @param customizers the customizers, in order
	 * @param beanFactory the bean factory, which tells whether the {@code dataSource} bean is s3lite's
	 * @param environment the environment
	 * @return the configuration
	 * @throws RuntimeException the validation's error, when not valid
	 */
	S3liteConfig config(S3liteConnectionDetails details, List<Consumer<S3ClientBuilder>> customizers,
			ConfigurableListableBeanFactory beanFactory, Environment environment) {
		S3liteConfig bound = config();
		Class<?> dataSource = beanFactory.containsBeanDefinition("dataSource") ? beanFactory.getType("dataSource", false)
				: null;
		if (dataSource != null && ReplicatingDataSource.class.isAssignableFrom(dataSource)
				&& DataSourceUrlCheck.check(environment.getProperty("spring.datasource.url"), bound.databasePath())) {
			logger.info("spring.datasource.url matches s3lite.path; s3lite provides the DataSource");
		}
		return bound.withS3(connection(details).withClientCustomizers(customizers));
	}

	/**
	 * Return the S3 connection that connection details describe.
	 * @param details the connection details
	 * @return the validated connection
	 */
	static S3Connection connection(S3liteConnectionDetails details) {
		return S3Connection.of(details.getEndpoint(), details.getRegion(), details.getForcePathStyle(),
				details.getAccessKeyId(), details.getSecretAccessKey());
	}

	/**
	 * Return the litestream binary resolver of this context.
	 * @return the resolver
	 * @throws RuntimeException the validation's error, when not valid
	 */
	LitestreamBinaryResolver resolver() {
		config();
		return this.resolver;
	}

}
