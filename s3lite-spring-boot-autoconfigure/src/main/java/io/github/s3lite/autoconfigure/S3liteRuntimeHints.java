package io.github.s3lite.autoconfigure;

import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;
import org.springframework.boot.context.properties.bind.BindableRuntimeHintsRegistrar;

import io.github.s3lite.config.S3liteProperties;
import io.github.s3lite.datasource.ReplicatingDataSource;

/**
 * What s3lite needs at run time from an AOT-processed application (registered in
 * {@code META-INF/spring/aot.factories}): the bundled litestream binaries and their checksums from
 * {@code s3lite-litestream-binaries}, and reflection for what is bound with a {@code Binder} outside
 * the {@code @ConfigurationProperties} machinery: {@code s3lite.*} (bound early for the background
 * restore) and {@code spring.datasource.hikari.*} (bound onto the s3lite pool).
 */
class S3liteRuntimeHints implements RuntimeHintsRegistrar {

	@Override
	public void registerHints(RuntimeHints hints, ClassLoader classLoader) {
		hints.resources()
			.registerPattern("io/github/s3lite/litestream/binaries.properties")
			.registerPattern("io/github/s3lite/litestream/*/litestream");
		BindableRuntimeHintsRegistrar.forTypes(S3liteProperties.class, ReplicatingDataSource.class)
			.registerHints(hints, classLoader);
	}

}
