package io.github.s3lite.autoconfigure;

import io.github.s3lite.internal.litestream.LitestreamBinaryResolver;

/**
 * The litestream binary resolver the start-up warm-up ({@link StartupWarmUp}) started resolving before the
 * application context existed, handed to the context through Spring Boot's bootstrap context (a bean of
 * this type, not of the resolver's, so that it never counts as the application's own resolver).
 *
 * @param resolver the resolver
 */
record WarmedUpResolver(LitestreamBinaryResolver resolver) {

	/** Name of the bean. */
	static final String BEAN_NAME = "s3liteWarmedUpResolver";

}
