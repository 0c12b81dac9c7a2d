package io.github.s3lite.autoconfigure;

import io.github.s3lite.config.S3liteProperties;

/**
 * {@link S3liteConnectionDetails} backed by {@code s3lite.s3.*}.
 */
final class PropertiesS3liteConnectionDetails implements S3liteConnectionDetails {

	private final S3liteProperties.S3 properties;

	PropertiesS3liteConnectionDetails(S3liteProperties properties) {
		this.properties = properties.getS3();
	}

	@Override
	public String getEndpoint() {
		return this.properties.getEndpoint();
	}

	@Override
	public String getRegion() {
		return this.properties.getRegion();
	}

	@Override
	public String getAccessKeyId() {
		return this.properties.getAccessKeyId();
	}

	@Override
	public String getSecretAccessKey() {
		return this.properties.getSecretAccessKey();
	}

	@Override
	public Boolean getForcePathStyle() {
		return this.properties.getForcePathStyle();
	}

}
