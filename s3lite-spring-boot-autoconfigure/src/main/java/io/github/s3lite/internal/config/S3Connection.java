package io.github.s3lite.internal.config;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.function.Consumer;

import software.amazon.awssdk.services.s3.S3ClientBuilder;

/**
 * How to reach the S3 API: endpoint, region and credentials, and the one place that turns them into a
 * provider's settings for both engines (the AWS SDK client of {@code S3ClientFactory} and litestream's
 * configuration file): {@link #endpoint()}, {@link #effectiveRegion()}, {@link #forcePathStyle()} and
 * the static key pair ({@link #hasStaticCredentials()}). Blank values mean "use litestream's and AWS's
 * defaults". It also carries the customizations applied, in order, to every AWS SDK client s3lite
 * builds (never to the litestream binary's own client). {@link #toString()} never shows the secret.
 *
 * @param endpoint endpoint of an S3-compatible service, or {@code null} for AWS
 * @param region region as configured, or {@code null} (see {@link #effectiveRegion()})
 * @param forcePathStyle whether to use path-style addressing
 * @param accessKeyId access key ID, or {@code null} for the default credential chain
 * @param secretAccessKey secret access key, or {@code null} for the default credential chain
 * @param clientCustomizers applied in order to every S3 client builder, after s3lite's own settings
 */
public record S3Connection(String endpoint, String region, boolean forcePathStyle, String accessKeyId,
		String secretAccessKey, List<Consumer<S3ClientBuilder>> clientCustomizers) {

	/** The region used with an endpoint and no region: what S3-compatible services sign with. */
	public static final String ENDPOINT_DEFAULT_REGION = "us-east-1";

	/**
	 * Create a connection.
	 * @param endpoint endpoint of an S3-compatible service, or {@code null} for AWS
	 * @param region region as configured, or {@code null}
	 * @param forcePathStyle whether to use path-style addressing
	 * @param accessKeyId access key ID, or {@code null} for the default credential chain
	 * @param secretAccessKey secret access key, or {@code null} for the default credential chain
	 * @param clientCustomizers applied in order to every S3 client builder, {@code null} for none
	 */
	public S3Connection {
		clientCustomizers = (clientCustomizers != null) ? List.copyOf(clientCustomizers) : List.of();
	}

	/**
	 * Create a validated connection from possibly blank values.
	 * @param endpoint the endpoint
	 * @param region the region
	 * @param forcePathStyle path-style addressing, {@code null} for "when an endpoint is set"
	 * @param accessKeyId the access key ID
	 * @param secretAccessKey the secret access key
	 * @return the connection
	 * @throws InvalidS3liteConfigException if the endpoint is not an http(s) URL or only one half of
	 * the key pair is set
	 */
	public static S3Connection of(String endpoint, String region, Boolean forcePathStyle, String accessKeyId,
			String secretAccessKey) {
		String cleanEndpoint = blankToNull(endpoint);
		if (cleanEndpoint != null) {
			validateEndpoint(cleanEndpoint);
		}
		String id = blankToNull(accessKeyId);
		String secret = blankToNull(secretAccessKey);
		if ((id == null) != (secret == null)) {
			String missing = (id == null) ? "s3lite.s3.access-key-id" : "s3lite.s3.secret-access-key";
			throw new InvalidS3liteConfigException(missing, null,
					"it is missing while its other half of the key pair is set",
					"Set both s3lite.s3.access-key-id and s3lite.s3.secret-access-key, or neither to use the AWS default credential chain.");
		}
		boolean pathStyle = (forcePathStyle != null) ? forcePathStyle : cleanEndpoint != null;
		return new S3Connection(cleanEndpoint, blankToNull(region), pathStyle, id, secret, List.of());
	}

	/**
	 * Return this connection with customizations for the S3 clients s3lite builds, replacing any it had.
	 * @param customizers applied in this order, after s3lite's own settings
	 * @return the connection
	 */
	public S3Connection withClientCustomizers(List<Consumer<S3ClientBuilder>> customizers) {
		return new S3Connection(this.endpoint, this.region, this.forcePathStyle, this.accessKeyId,
				this.secretAccessKey, customizers);
	}

	private static void validateEndpoint(String endpoint) {
		try {
			URI uri = new URI(endpoint);
			String scheme = uri.getScheme();
			if (("http".equalsIgnoreCase(scheme) || "https".equalsIgnoreCase(scheme)) && uri.getHost() != null) {
				return;
			}
		}
		catch (URISyntaxException ex) {
			// fall through to the error below
		}
		throw new InvalidS3liteConfigException("s3lite.s3.endpoint", endpoint, "not an http(s) URL with a host",
				"Use a URL such as 'https://s3.example.com' or 'http://127.0.0.1:9000', or leave it unset for AWS S3.");
	}

	private static String blankToNull(String value) {
		return (value == null || value.isBlank()) ? null : value.strip();
	}

	/**
	 * Return the region both engines use: the configured one, else {@value #ENDPOINT_DEFAULT_REGION}
	 * when an endpoint is set, else {@code null}, which leaves it to the provider's defaults (the AWS
	 * SDK's region chain with cross-region access; litestream asks AWS for the bucket's region).
	 * @return the region, or {@code null} for the defaults
	 */
	public String effectiveRegion() {
		if (this.region != null) {
			return this.region;
		}
		return (this.endpoint != null) ? ENDPOINT_DEFAULT_REGION : null;
	}

	/**
	 * Return whether static credentials are configured.
	 * @return {@code true} when both halves of the key pair are set
	 */
	public boolean hasStaticCredentials() {
		return this.accessKeyId != null;
	}

	@Override
	public String toString() {
		String customizers = this.clientCustomizers.isEmpty() ? ""
				: ", clientCustomizers=" + this.clientCustomizers.size();
		return "S3Connection[endpoint=" + this.endpoint + ", region=" + this.region + ", forcePathStyle="
				+ this.forcePathStyle + ", credentials="
				+ (hasStaticCredentials() ? "static (secret hidden)" : "default chain") + customizers + "]";
	}

}
