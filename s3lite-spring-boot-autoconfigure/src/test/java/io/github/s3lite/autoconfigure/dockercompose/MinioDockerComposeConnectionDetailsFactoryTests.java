package io.github.s3lite.autoconfigure.dockercompose;

import java.lang.reflect.Constructor;
import java.util.List;
import java.util.Map;

import org.apache.commons.logging.LogFactory;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.service.connection.ConnectionDetailsFactory;
import org.springframework.boot.docker.compose.core.ConnectionPorts;
import org.springframework.boot.docker.compose.core.ImageReference;
import org.springframework.boot.docker.compose.core.RunningService;
import org.springframework.boot.docker.compose.service.connection.DockerComposeConnectionSource;
import org.springframework.core.env.Environment;
import org.springframework.core.io.support.SpringFactoriesLoader;
import org.springframework.core.io.support.SpringFactoriesLoader.FailureHandler;
import org.springframework.mock.env.MockEnvironment;

import io.github.s3lite.autoconfigure.S3liteConnectionDetails;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The Docker Compose factory maps a running MinIO service to {@link S3liteConnectionDetails}. There is
 * no Docker engine here: the running service is described by hand, as {@code docker compose ps}
 * would report it, and handed to the factory the way Spring Boot does.
 */
class MinioDockerComposeConnectionDetailsFactoryTests {

	@Test
	void theFactoryIsRegisteredWithSpringBoot() {
		assertThat(SpringFactoriesLoader.forDefaultResourceLocation()
			.load(ConnectionDetailsFactory.class, FailureHandler.logging(LogFactory.getLog(getClass()))))
			.hasAtLeastOneElementOfType(MinioDockerComposeConnectionDetailsFactory.class);
	}

	@Test
	void aMinioServiceProvidesItsMappedPortAndRootCredentials() throws Exception {
		S3liteConnectionDetails details = new MinioDockerComposeConnectionDetailsFactory().getConnectionDetails(
				source(service("minio/minio:latest", Map.of("MINIO_ROOT_USER", "app", "MINIO_ROOT_PASSWORD", "app-pass"))));
		assertThat(details).isNotNull();
		assertThat(details.getEndpoint()).isEqualTo("http://127.0.0.1:49153");
		assertThat(details.getAccessKeyId()).isEqualTo("app");
		assertThat(details.getSecretAccessKey()).isEqualTo("app-pass");
		assertThat(details.getForcePathStyle()).isTrue();
		assertThat(details.getRegion()).isNull();
	}

	@Test
	void aMinioServiceWithoutRootCredentialsUsesMiniosDefaults() throws Exception {
		S3liteConnectionDetails details = new MinioDockerComposeConnectionDetailsFactory()
			.getConnectionDetails(source(service("bitnami/minio:2025", Map.of())));
		assertThat(details.getAccessKeyId()).isEqualTo("minioadmin");
		assertThat(details.getSecretAccessKey()).isEqualTo("minioadmin");
	}

	@Test
	void otherServicesAreIgnored() throws Exception {
		assertThat(new MinioDockerComposeConnectionDetailsFactory()
			.getConnectionDetails(source(service("postgres:17", Map.of())))).isNull();
	}

	// DockerComposeConnectionSource's constructor is package-private in Spring Boot
	private static DockerComposeConnectionSource source(RunningService service) throws Exception {
		Constructor<DockerComposeConnectionSource> constructor = DockerComposeConnectionSource.class
			.getDeclaredConstructor(RunningService.class, Environment.class);
		constructor.setAccessible(true);
		return constructor.newInstance(service, new MockEnvironment());
	}

	private static RunningService service(String image, Map<String, String> env) {
		return new RunningService() {

			@Override
			public String name() {
				return "minio";
			}

			@Override
			public ImageReference image() {
				return ImageReference.of(image);
			}

			@Override
			public String host() {
				return "127.0.0.1";
			}

			@Override
			public ConnectionPorts ports() {
				return new ConnectionPorts() {

					@Override
					public int get(int containerPort) {
						assertThat(containerPort).isEqualTo(9000);
						return 49153;
					}

					@Override
					public List<Integer> getAll() {
						return List.of(49153);
					}

					@Override
					public List<Integer> getAll(String protocol) {
						return List.of(49153);
					}

				};
			}

			@Override
			public Map<String, String> env() {
				return env;
			}

			@Override
			public Map<String, String> labels() {
				return Map.of();
			}

		};
	}

}
