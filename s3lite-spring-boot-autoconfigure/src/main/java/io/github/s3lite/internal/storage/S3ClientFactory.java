package io.github.s3lite.internal.storage;

import java.net.URI;
import java.time.Duration;

import io.github.s3lite.internal.config.S3Connection;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.AwsCredentialsProvider;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.awscore.retry.AwsRetryStrategy;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.regions.providers.DefaultAwsRegionProviderChain;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

/**
 * Builds the AWS SDK v2 {@link S3Client} for an {@link S3Connection}, with the provider settings the
 * connection gives both engines (endpoint, {@link S3Connection#effectiveRegion() region}, path-style);
 * static keys when set, else the SDK's default credential chain. Without a region from the connection,
 * the region comes from the SDK's default region chain or, failing that, {@code us-east-1} with
 * cross-region access so that the bucket's own region is found. Retries use the SDK's standard
 * strategy (exponential backoff with jitter). The connection's client customizers run last, in order,
 * so they can change any of this.
 */
public final class S3ClientFactory {

	static final int MAX_ATTEMPTS = 5;

	private S3ClientFactory() {
	}

	/**
	 * Create a client. The caller closes it.
	 * @param connection the connection settings
	 * @return the client
	 */
	public static S3Client create(S3Connection connection) {
		return builder(connection).build();
	}

	static S3ClientBuilder builder(S3Connection connection) {
		ClientOverrideConfiguration override = ClientOverrideConfiguration.builder()
			.retryStrategy(AwsRetryStrategy.standardRetryStrategy().toBuilder().maxAttempts(MAX_ATTEMPTS).build())
			.apiCallAttemptTimeout(Duration.ofMinutes(2))
			.addExecutionInterceptor(new WithoutExpectContinue())
			.build();
		S3ClientBuilder builder = S3Client.builder()
			// closing the client aborts requests in flight (a stuck final upload ends at once)
			.httpClientBuilder(AbortingHttpClient.wrapping(UrlConnectionHttpClient.builder()
				.connectionTimeout(Duration.ofSeconds(10))
				.socketTimeout(Duration.ofSeconds(60))))
			.credentialsProvider(credentials(connection))
			.forcePathStyle(connection.forcePathStyle())
			// the most compatible choice for S3-compatible services; AWS S3 accepts it as well
			.requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
			.responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
			.overrideConfiguration(override);
		if (connection.endpoint() != null) {
			builder.endpointOverride(URI.create(connection.endpoint()));
		}
		String region = connection.effectiveRegion();
		if (region != null) {
			builder.region(Region.of(region));
		}
		else {
			builder.region(defaultRegion()).crossRegionAccessEnabled(true);
		}
		connection.clientCustomizers().forEach((customizer) -> customizer.accept(builder));
		return builder;
	}

	private static AwsCredentialsProvider credentials(S3Connection connection) {
		if (connection.hasStaticCredentials()) {
			return StaticCredentialsProvider
				.create(AwsBasicCredentials.create(connection.accessKeyId(), connection.secretAccessKey()));
		}
		return DefaultCredentialsProvider.builder().build();
	}

	private static Region defaultRegion() {
		try {
			return new DefaultAwsRegionProviderChain().getRegion();
		}
		catch (RuntimeException ex) {
			return Region.US_EAST_1;
		}
	}

	/**
	 * Sends uploads without {@code Expect: 100-continue}, which the SDK adds to every PUT: with the JDK's
	 * HTTP client, a server that answers before the body (a conditional write refused with 412, an error)
	 * turns that answer into "Error writing request body to server" on every retry, so a refused or
	 * already applied lease write could not be told from a network failure. Our bodies are small or
	 * expected to be accepted; sending them at once costs nothing.
	 */
	static final class WithoutExpectContinue implements ExecutionInterceptor {

		@Override
		public SdkHttpRequest modifyHttpRequest(Context.ModifyHttpRequest context, ExecutionAttributes attributes) {
			SdkHttpRequest request = context.httpRequest();
			return request.firstMatchingHeader("Expect").isPresent() ? request.toBuilder().removeHeader("Expect").build()
					: request;
		}

	}

}
