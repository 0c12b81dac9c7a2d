package io.github.s3lite.autoconfigure;

import org.flywaydb.core.Flyway;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration;
import org.springframework.boot.flyway.autoconfigure.FlywayConfigurationCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

import io.github.s3lite.config.S3liteConfig;

/**
 * Adapts Flyway to a database replicated by litestream: litestream's own tables must not make a new
 * database look like an existing schema without Flyway history.
 */
@AutoConfiguration(after = S3liteAutoConfiguration.class, before = FlywayAutoConfiguration.class)
@ConditionalOnClass({ Flyway.class, FlywayConfigurationCustomizer.class })
@ConditionalOnBean(S3liteConfig.class)
public final class S3liteFlywayAutoConfiguration {

	@Bean
	FlywayConfigurationCustomizer s3liteLitestreamTablesFlywayCustomizer(Environment environment) {
		return new LitestreamTablesFlywayCustomizer(environment);
	}

}
