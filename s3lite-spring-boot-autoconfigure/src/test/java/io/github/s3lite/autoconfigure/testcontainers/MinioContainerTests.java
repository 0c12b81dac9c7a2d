package io.github.s3lite.autoconfigure.testcontainers;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.testcontainers.containers.MinIOContainer;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.JdbcTemplateAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.testcontainers.service.connection.ServiceConnection;
import org.springframework.boot.testcontainers.service.connection.ServiceConnectionAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

import io.github.s3lite.autoconfigure.S3liteAutoConfiguration;
import io.github.s3lite.datasource.ReplicatingDataSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * s3lite against real MinIO in a container, through {@code @ServiceConnection}. Needs a Docker
 * engine; skipped (reported as skipped) where there is none.
 */
@Testcontainers(disabledWithoutDocker = true)
class MinioContainerTests {

	static final String IMAGE = "minio/minio:RELEASE.2023-09-04T19-57-37Z";

	private static final String BUCKET = "s3lite-minio";

	@Container
	static final MinIOContainer minio = new MinIOContainer(IMAGE);

	@TempDir
	Path dir;

	@Test
	void restoresAndReplicatesToMinioThroughAServiceConnection() {
		createBucket();
		String replica = "s3://" + BUCKET + "/db";
		ApplicationContextRunner app = new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(ServiceConnectionAutoConfiguration.class,
					S3liteAutoConfiguration.class, DataSourceAutoConfiguration.class,
					JdbcTemplateAutoConfiguration.class))
			.withUserConfiguration(MinioConfiguration.class)
			.withPropertyValues("s3lite.path=" + this.dir.resolve("app.sqlite3"), "s3lite.restore-from=" + replica,
					"s3lite.backup-to=" + replica,
					"s3lite.migrations[0]=CREATE TABLE IF NOT EXISTS items (id INTEGER PRIMARY KEY)");
		app.run((context) -> {
			assertThat(context).hasNotFailed();
			context.getBean(JdbcTemplate.class).update("INSERT INTO items (id) VALUES (1)");
			context.getBean(ReplicatingDataSource.class).sync(Duration.ofSeconds(30));
		});
		app.withPropertyValues("s3lite.path=" + this.dir.resolve("restored.sqlite3")).run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context.getBean(JdbcTemplate.class).queryForObject("SELECT count(*) FROM items", Integer.class))
				.isOne();
		});
	}

	/**
	 * litestream never creates buckets: creating it is the test's job (here with the AWS SDK).
	 */
	private static void createBucket() {
		try (S3Client client = S3Client.builder()
			.endpointOverride(URI.create(minio.getS3URL()))
			.region(Region.US_EAST_1)
			.forcePathStyle(true)
			.credentialsProvider(
					StaticCredentialsProvider.create(AwsBasicCredentials.create(minio.getUserName(), minio.getPassword())))
			.build()) {
			client.createBucket((request) -> request.bucket(BUCKET));
		}
	}

	@Configuration(proxyBeanMethods = false)
	static class MinioConfiguration {

		@Bean
		@ServiceConnection
		MinIOContainer minio() {
			return minio;
		}

	}

}
