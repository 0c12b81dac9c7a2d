package io.github.s3lite.autoconfigure;

import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.github.s3lite.internal.config.S3liteConfig;
import io.github.s3lite.internal.engine.ReplicationEngine;
import io.github.s3lite.internal.litestream.LitestreamBinaryResolver;

/**
 * The replication engine chosen by {@code s3lite.engine} ({@link ReplicationEngineSelector}), unless
 * the application provides its own {@link ReplicationEngine}.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnMissingBean(ReplicationEngine.class)
class ReplicationEngineConfiguration {

	@Bean
	@ConditionalOnMissingBean
	LitestreamBinaryResolver s3liteLitestreamBinaryResolver(ObjectProvider<S3liteSetup> s3liteSetup,
			S3liteConfig config) {
		S3liteSetup setup = s3liteSetup.getIfAvailable();
		return (setup != null) ? setup.resolver() : new LitestreamBinaryResolver(
				ReplicationEngineConfiguration.class.getClassLoader(), config.litestream().binary(),
				config.litestream().cacheDir());
	}

	@Bean
	ReplicationEngine s3liteReplicationEngine(LitestreamBinaryResolver s3liteLitestreamBinaryResolver,
			S3liteConfig config) {
		return ReplicationEngineSelector.select(config, s3liteLitestreamBinaryResolver);
	}

}
