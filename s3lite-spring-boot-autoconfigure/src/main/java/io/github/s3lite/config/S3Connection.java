package io.github.s3lite.config;

import java.net.URI;
import java.net.URISyntaxException;

/**
 * How to reach the S3 API: endpoint, region and credentials. Blank values mean "use litestream's and
 * AWS's defaults". {@link #toString()} never shows the secret.
 *
 * @param endpoint endpoint of an S3-compatible service, or {@code null} for AWS
 * @param region region, or {@code null}
 * @param forcePathStyle whether to use path-style addressing
 * @param accessKeyId access key ID, or {@code null} for the default credential chain
 * @param secretAccessKey secret access key, or {@code null} for the default credential chain
 */
public record S3Connection(String endpoint, String region, boolean forcePathStyle, String accessKeyId,
		String secretAccessKey) {

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
		return new S3Connection(cleanEndpoint, blankToNull(region), pathStyle, id, secret);
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
	 * Return whether static credentials are configured.
	 * @return {@code true} when both halves of the key pair are set
	 */
	public boolean hasStaticCredentials() {
		return this.accessKeyId != null;
	}

	@Override
	public String toString() {
		return "S3Connection[endpoint=" + this.endpoint + ", region=" + this.region + ", forcePathStyle="
				+ this.forcePathStyle + ", credentials="
				+ (hasStaticCredentials() ? "static (secret hidden)" : "default chain") + "]";
	}

}
