package io.github.s3lite.internal.config;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.s3lite.internal.litestream.LitestreamConfigFile;
import io.github.s3lite.internal.storage.S3ClientFactory;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.retries.DefaultRetryStrategy;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.S3ClientBuilder;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link S3Connection} is the one place the provider settings come from: the native engine's AWS SDK
 * client ({@code S3ClientFactory}) and litestream's configuration file ({@code LitestreamConfigFile})
 * use the same region and addressing style. The SDK side is read from a real signed request, stopped
 * before it is sent; litestream's from the file it would read.
 */
class S3ConnectionTests {

	private static final String BUCKET = "provider-settings";

	private static final Pattern SIGNING_REGION = Pattern.compile("Credential=[^/]+/\\d{8}/([^/]+)/s3/aws4_request");

	private static final Pattern YAML_REGION = Pattern.compile("(?m)^\\s+region: \"([^\"]*)\"$");

	private static final Pattern YAML_PATH_STYLE = Pattern.compile("(?m)^\\s+force-path-style: (true|false)$");

	@TempDir
	Path dir;

	@Test
	void anEndpointWithoutARegionMeansUsEast1AndPathStyleInBothEngines() throws IOException {
		S3Connection s3 = S3Connection.of("http://127.0.0.1:9000", null, null, "id", "secret");
		assertThat(s3.effectiveRegion()).isEqualTo("us-east-1");
		assertThat(sdk(s3)).isEqualTo(litestream(s3)).isEqualTo(new Settings("us-east-1", true));
	}

	@Test
	void aRegionIsUsedAsItIsInBothEngines() throws IOException {
		S3Connection aws = S3Connection.of(null, "eu-west-1", null, "id", "secret");
		assertThat(aws.effectiveRegion()).isEqualTo("eu-west-1");
		assertThat(sdk(aws)).isEqualTo(litestream(aws)).isEqualTo(new Settings("eu-west-1", false));
		S3Connection scaleway = S3Connection.of("https://s3.fr-par.scw.cloud", "fr-par", false, "id", "secret");
		assertThat(sdk(scaleway)).isEqualTo(litestream(scaleway)).isEqualTo(new Settings("fr-par", false));
	}

	@Test
	void withoutEndpointAndRegionBothEnginesLeaveTheRegionToTheirDefaults() throws IOException {
		S3Connection s3 = S3Connection.of(null, null, null, "id", "secret");
		assertThat(s3.effectiveRegion()).isNull();
		assertThat(litestream(s3)).as("litestream asks AWS for the bucket's region").isEqualTo(new Settings(null, false));
		// the SDK's region chain reads this first (and does not wait for an instance metadata service)
		String previous = System.setProperty("aws.region", "ap-southeast-2");
		try {
			assertThat(sdk(s3)).as("the SDK's region chain").isEqualTo(new Settings("ap-southeast-2", false));
		}
		finally {
			if (previous != null) {
				System.setProperty("aws.region", previous);
			}
			else {
				System.clearProperty("aws.region");
			}
		}
	}

	@Test
	void aClientCustomizerRunsAfterTheConnectionsSettings() {
		// a host name: the SDK addresses an IP endpoint path-style whatever forcePathStyle says
		S3Connection s3 = S3Connection.of("https://s3.example.com", null, null, "id", "secret")
			.withClientCustomizers(List.of((builder) -> builder.region(Region.EU_NORTH_1).forcePathStyle(false)));
		assertThat(sdk(S3Connection.of("https://s3.example.com", null, null, "id", "secret")))
			.isEqualTo(new Settings("us-east-1", true));
		assertThat(sdk(s3)).isEqualTo(new Settings("eu-north-1", false));
	}

	@Test
	void aConnectionWithClientCustomizersNeverShowsItsSecret() {
		S3Connection s3 = S3Connection.of(null, "eu-west-1", null, "AKIA", "very-secret-key")
			.withClientCustomizers(List.of((builder) -> builder.forcePathStyle(true)));
		assertThat(s3.toString()).doesNotContain("very-secret-key").contains("secret hidden", "clientCustomizers=1");
		assertThat(s3.secretAccessKey()).isEqualTo("very-secret-key");
	}

	/** What the AWS SDK client built for the connection signs with and how it addresses the bucket. */
	private static Settings sdk(S3Connection connection) {
		AtomicReference<SdkHttpRequest> sent = new AtomicReference<>();
		ExecutionInterceptor stop = new ExecutionInterceptor() {

			@Override
			public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
				sent.compareAndSet(null, context.httpRequest());
				throw new IllegalStateException("stopped before transmission");
			}

		};
		Consumer<S3ClientBuilder> stopping = (builder) -> builder.overrideConfiguration(builder.overrideConfiguration()
			.toBuilder()
			.retryStrategy(DefaultRetryStrategy.doNotRetry())
			.addExecutionInterceptor(stop)
			.build());
		List<Consumer<S3ClientBuilder>> customizers = new ArrayList<>(connection.clientCustomizers());
		customizers.add(stopping);
		try (S3Client client = S3ClientFactory.create(connection.withClientCustomizers(customizers))) {
			client.listObjectsV2((request) -> request.bucket(BUCKET).prefix("db/"));
		}
		catch (RuntimeException ex) {
			// stopped before transmission, as intended
		}
		SdkHttpRequest request = sent.get();
		assertThat(request).as("the request was signed and about to be sent").isNotNull();
		Matcher region = SIGNING_REGION.matcher(request.firstMatchingHeader("Authorization").orElseThrow());
		assertThat(region.find()).isTrue();
		boolean pathStyle = request.encodedPath().startsWith("/" + BUCKET) && !request.host().startsWith(BUCKET + ".");
		return new Settings(region.group(1), pathStyle);
	}

	/** What litestream's configuration file says. */
	private Settings litestream(S3Connection connection) throws IOException {
		Path file = LitestreamConfigFile.writeRestore(this.dir.resolve("restore.yml"), this.dir.resolve("app.sqlite3"),
				ReplicaUrl.parse("s3lite.restore-from", "s3://" + BUCKET + "/db"), connection);
		String yaml = Files.readString(file);
		Matcher region = YAML_REGION.matcher(yaml);
		Matcher pathStyle = YAML_PATH_STYLE.matcher(yaml);
		assertThat(pathStyle.find()).as(yaml).isTrue();
		return new Settings(region.find() ? region.group(1) : null, Boolean.parseBoolean(pathStyle.group(1)));
	}

	/**
	 * Provider settings as one engine applies them.
	 * @param region the signing region, {@code null} for the engine's default
	 * @param pathStyle whether the bucket is in the path rather than the host
	 */
	record Settings(String region, boolean pathStyle) {

	}

}
