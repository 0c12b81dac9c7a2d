package io.github.s3lite.autoconfigure.testcontainers;

import java.nio.file.Path;
import java.time.Duration;

import org.apache.commons.logging.LogFactory;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.containers.MinIOContainer;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.service.connection.ConnectionDetailsFactory;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.JdbcTemplateAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.testcontainers.service.connection.ServiceConnection;
import org.springframework.boot.testcontainers.service.connection.ServiceConnectionAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.io.support.SpringFactoriesLoader;
import org.springframework.core.io.support.SpringFactoriesLoader.FailureHandler;
import org.springframework.jdbc.core.JdbcTemplate;

import io.github.s3lite.autoconfigure.S3liteAutoConfiguration;
import io.github.s3lite.autoconfigure.S3liteConnectionDetails;
import io.github.s3lite.datasource.ReplicatingDataSource;
import io.github.s3lite.test.S3ProxyServer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A {@code @ServiceConnection} {@link MinIOContainer} points s3lite at it, through Spring Boot's own
 * service-connection machinery and s3lite's registered factory. There is no Docker engine here, so
 * the container is a stand-in that is never started and reports the address and key pair of a real
 * S3 API (S3Proxy on 127.0.0.1); {@link MinioContainerTests} runs real MinIO where Docker exists.
 */
class MinioServiceConnectionTests {

	private static final String BUCKET = "s3lite-service-connection";

	@RegisterExtension
	static final S3ProxyServer s3 = S3ProxyServer.withBucket(BUCKET);

	@TempDir
	Path dir;

	@Test
	void theFactoryIsRegisteredWithSpringBoot() {
		// loaded the way Spring Boot loads them: factories of modules absent here are skipped
		assertThat(SpringFactoriesLoader.forDefaultResourceLocation()
			.load(ConnectionDetailsFactory.class, FailureHandler.logging(LogFactory.getLog(getClass()))))
			.hasAtLeastOneElementOfType(MinioContainerConnectionDetailsFactory.class);
	}

	@Test
	void aServiceConnectionMinioContainerProvidesTheEndpointAndKeyPairAndReplicationUsesThem() {
		String replica = "s3://" + BUCKET + "/db";
		new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(ServiceConnectionAutoConfiguration.class,
					S3liteAutoConfiguration.class, DataSourceAutoConfiguration.class,
					JdbcTemplateAutoConfiguration.class))
			.withUserConfiguration(MinioConfiguration.class)
			.withPropertyValues("s3lite.path=" + this.dir.resolve("app.sqlite3"), "s3lite.restore-from=" + replica,
					"s3lite.backup-to=" + replica,
					"s3lite.migrations[0]=CREATE TABLE IF NOT EXISTS items (id INTEGER PRIMARY KEY)")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				S3liteConnectionDetails details = context.getBean(S3liteConnectionDetails.class);
				assertThat(details).isInstanceOf(MinioContainerConnectionDetailsFactory.MinioContainerConnectionDetails.class);
				assertThat(details.getEndpoint()).isEqualTo(s3.endpoint());
				assertThat(details.getAccessKeyId()).isEqualTo(S3ProxyServer.ACCESS_KEY);
				assertThat(details.getSecretAccessKey()).isEqualTo(S3ProxyServer.SECRET_KEY);
				assertThat(details.getForcePathStyle()).isTrue();
				context.getBean(JdbcTemplate.class).update("INSERT INTO items (id) VALUES (1)");
				context.getBean(ReplicatingDataSource.class).sync(Duration.ofSeconds(20));
			});
		assertThat(s3.keys(BUCKET, "db/")).anyMatch((key) -> key.contains("/snapshots/"));
	}

	@Configuration(proxyBeanMethods = false)
	static class MinioConfiguration {

		@Bean
		@ServiceConnection
		MinIOContainer minio() {
			return new S3ProxyStandIn();
		}

	}

	/**
	 * A MinIO container that is never started: it answers with S3Proxy's endpoint and key pair.
	 */
	static final class S3ProxyStandIn extends MinIOContainer {

		S3ProxyStandIn() {
			super(MinioContainerTests.IMAGE);
		}

		@Override
		public void start() {
			// no Docker engine here; S3Proxy is already serving
		}

		@Override
		public String getS3URL() {
			return s3.endpoint();
		}

		@Override
		public String getUserName() {
			return S3ProxyServer.ACCESS_KEY;
		}

		@Override
		public String getPassword() {
			return S3ProxyServer.SECRET_KEY;
		}

	}

}
