package io.github.s3lite.autoconfigure;

import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import io.github.s3lite.config.S3liteConfig;
import io.github.s3lite.engine.ReplicationEngine;
import io.github.s3lite.litestream.LitestreamBinaryResolver;
import io.github.s3lite.litestream.LitestreamEngine;

/**
 * The litestream engine: the binary resolver and the {@link LitestreamEngine}, unless the application
 * provides its own {@link ReplicationEngine}.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnMissingBean(ReplicationEngine.class)
class LitestreamEngineConfiguration {

	@Bean
	@ConditionalOnMissingBean
	LitestreamBinaryResolver s3liteLitestreamBinaryResolver(S3liteConfig config) {
		return new LitestreamBinaryResolver(LitestreamEngineConfiguration.class.getClassLoader(),
				config.litestream().binary(), config.litestream().cacheDir());
	}

	@Bean
	LitestreamEngine s3liteReplicationEngine(LitestreamBinaryResolver s3liteLitestreamBinaryResolver,
			S3liteConfig config) {
		return new LitestreamEngine(s3liteLitestreamBinaryResolver, config.s3(), config.litestream());
	}

}
