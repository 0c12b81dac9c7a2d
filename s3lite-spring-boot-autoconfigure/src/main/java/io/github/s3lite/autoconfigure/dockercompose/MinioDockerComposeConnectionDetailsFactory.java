package io.github.s3lite.autoconfigure.dockercompose;

import java.util.Map;

import org.springframework.boot.docker.compose.core.RunningService;
import org.springframework.boot.docker.compose.service.connection.DockerComposeConnectionDetailsFactory;
import org.springframework.boot.docker.compose.service.connection.DockerComposeConnectionSource;

import io.github.s3lite.autoconfigure.S3liteConnectionDetails;

/**
 * Creates {@link S3liteConnectionDetails} for a MinIO service ({@code minio/minio} or
 * {@code bitnami/minio}, or any service labelled
 * {@code org.springframework.boot.service-connection: minio/minio}) in the application's Docker
 * Compose file: its mapped S3 port as the endpoint (path-style), {@code MINIO_ROOT_USER} and
 * {@code MINIO_ROOT_PASSWORD} as the key pair. The bucket is not created.
 */
class MinioDockerComposeConnectionDetailsFactory extends DockerComposeConnectionDetailsFactory<S3liteConnectionDetails> {

	private static final int S3_PORT = 9000;

	MinioDockerComposeConnectionDetailsFactory() {
		super(new String[] { "minio/minio", "bitnami/minio" });
	}

	@Override
	protected S3liteConnectionDetails getDockerComposeConnectionDetails(DockerComposeConnectionSource source) {
		return new MinioDockerComposeConnectionDetails(source.getRunningService());
	}

	/**
	 * {@link S3liteConnectionDetails} backed by a running MinIO service.
	 */
	static final class MinioDockerComposeConnectionDetails extends DockerComposeConnectionDetails
			implements S3liteConnectionDetails {

		private static final String DEFAULT_CREDENTIAL = "minioadmin";

		private final String endpoint;

		private final String accessKeyId;

		private final String secretAccessKey;

		MinioDockerComposeConnectionDetails(RunningService service) {
			super(service);
			Map<String, String> env = service.env();
			this.endpoint = "http://" + service.host() + ":" + service.ports().get(S3_PORT);
			this.accessKeyId = env.getOrDefault("MINIO_ROOT_USER", DEFAULT_CREDENTIAL);
			this.secretAccessKey = env.getOrDefault("MINIO_ROOT_PASSWORD", DEFAULT_CREDENTIAL);
		}

		@Override
		public String getEndpoint() {
			return this.endpoint;
		}

		@Override
		public String getRegion() {
			return null;
		}

		@Override
		public String getAccessKeyId() {
			return this.accessKeyId;
		}

		@Override
		public String getSecretAccessKey() {
			return this.secretAccessKey;
		}

		@Override
		public Boolean getForcePathStyle() {
			return Boolean.TRUE;
		}

	}

}
