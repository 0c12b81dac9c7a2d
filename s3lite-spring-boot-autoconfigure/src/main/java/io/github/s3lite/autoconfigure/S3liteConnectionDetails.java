package io.github.s3lite.autoconfigure;

import org.springframework.boot.autoconfigure.service.connection.ConnectionDetails;

/**
 * How s3lite reaches the S3 API. The default is backed by {@code s3lite.s3.*}; a
 * {@code @ServiceConnection} (such as a MinIO container) can provide another one. {@code null}
 * values fall through to litestream's and AWS's defaults.
 */
public interface S3liteConnectionDetails extends ConnectionDetails {

	/**
	 * Return the endpoint of an S3-compatible service.
	 * @return the endpoint, or {@code null} for AWS S3
	 */
	String getEndpoint();

	/**
	 * Return the region.
	 * @return the region, or {@code null}
	 */
	String getRegion();

	/**
	 * Return the access key ID.
	 * @return the access key ID, or {@code null} for the AWS default credential chain
	 */
	String getAccessKeyId();

	/**
	 * Return the secret access key.
	 * @return the secret access key, or {@code null} for the AWS default credential chain
	 */
	String getSecretAccessKey();

	/**
	 * Return whether to use path-style addressing.
	 * @return whether to force path-style, or {@code null} for "when an endpoint is set"
	 */
	default Boolean getForcePathStyle() {
		return null;
	}

}
