package io.github.s3lite.autoconfigure;

import software.amazon.awssdk.services.s3.S3ClientBuilder;

/**
 * Callback that customizes every AWS SDK v2 S3 client s3lite builds itself: the native engine's
 * (replication, restores, replica checks, catch-up and verification; with the litestream engine, the
 * restores and replica checks s3lite does natively unless {@code s3lite.litestream.native-restore=false})
 * and the single-writer lease's. Every bean of this type is applied, in
 * {@link org.springframework.core.annotation.Order @Order} / {@link org.springframework.core.Ordered}
 * order, after s3lite has set the endpoint, region, path-style addressing, credentials, HTTP client,
 * retries, timeouts and checksums, so a customizer can override any of them.
 * <p>
 * It does not reach the litestream binary: with the litestream engine, the child process talks to S3
 * with its own (Go) client, configured from {@code s3lite.s3.*} or the {@link S3liteConnectionDetails}
 * only.
 * <p>
 * {@code builder.overrideConfiguration(...)} replaces s3lite's override configuration (its retry
 * strategy, attempt timeout and the interceptor that keeps conditional writes reliable); to add to it,
 * start from {@code builder.overrideConfiguration().toBuilder()}. When the application defines a
 * customizer, the startup restore runs in line with the context refresh rather than in the
 * background, as it needs the customizer beans.
 */
@FunctionalInterface
public interface S3liteS3ClientCustomizer {

	/**
	 * Customize the builder of an S3 client s3lite is about to build.
	 * @param builder the builder, with s3lite's settings already applied
	 */
	void customize(S3ClientBuilder builder);

}
