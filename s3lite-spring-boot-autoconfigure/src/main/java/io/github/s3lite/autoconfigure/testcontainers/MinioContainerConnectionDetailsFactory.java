package io.github.s3lite.autoconfigure.testcontainers;

import org.testcontainers.containers.MinIOContainer;

import org.springframework.boot.testcontainers.service.connection.ContainerConnectionDetailsFactory;
import org.springframework.boot.testcontainers.service.connection.ContainerConnectionSource;

import io.github.s3lite.autoconfigure.S3liteConnectionDetails;

/**
 * Creates {@link S3liteConnectionDetails} from a {@code @ServiceConnection}-annotated
 * {@link MinIOContainer}: its S3 URL as the endpoint (path-style), its root user and password as the
 * key pair. The bucket named in {@code s3lite.restore-from}/{@code s3lite.backup-to} is not created:
 * that is the test's job, as litestream never creates buckets.
 */
class MinioContainerConnectionDetailsFactory
		extends ContainerConnectionDetailsFactory<MinIOContainer, S3liteConnectionDetails> {

	MinioContainerConnectionDetailsFactory() {
		super(ANY_CONNECTION_NAME);
	}

	@Override
	protected S3liteConnectionDetails getContainerConnectionDetails(ContainerConnectionSource<MinIOContainer> source) {
		return new MinioContainerConnectionDetails(source);
	}

	/**
	 * {@link S3liteConnectionDetails} backed by a {@link MinIOContainer}.
	 */
	static final class MinioContainerConnectionDetails extends ContainerConnectionDetails<MinIOContainer>
			implements S3liteConnectionDetails {

		private MinioContainerConnectionDetails(ContainerConnectionSource<MinIOContainer> source) {
			super(source);
		}

		@Override
		public String getEndpoint() {
			return getContainer().getS3URL();
		}

		@Override
		public String getRegion() {
			return null;
		}

		@Override
		public String getAccessKeyId() {
			return getContainer().getUserName();
		}

		@Override
		public String getSecretAccessKey() {
			return getContainer().getPassword();
		}

		@Override
		public Boolean getForcePathStyle() {
			return Boolean.TRUE;
		}

	}

}
