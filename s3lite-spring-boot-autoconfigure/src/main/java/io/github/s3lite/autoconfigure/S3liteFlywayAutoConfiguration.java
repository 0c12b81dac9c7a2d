package io.github.s3lite.autoconfigure;

import org.flywaydb.core.Flyway;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.flyway.autoconfigure.FlywayAutoConfiguration;
import org.springframework.boot.flyway.autoconfigure.FlywayConfigurationCustomizer;
import org.springframework.context.annotation.Bean;
import org.springframework.core.env.Environment;

import io.github.s3lite.internal.config.S3liteConfig;
import io.github.s3lite.internal.litestream.LitestreamTablesFlywayCustomizer;

/**
 * Adapts Flyway to the database s3lite replicates, before Flyway's own auto-configuration: litestream's
 * own tables (and s3lite's) must not make a new database look like an existing schema without Flyway
 * history. The customizer is registered whichever engine runs (which engine {@code auto} picks is only
 * known once the engine bean exists); it changes nothing on a database without such tables.
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
