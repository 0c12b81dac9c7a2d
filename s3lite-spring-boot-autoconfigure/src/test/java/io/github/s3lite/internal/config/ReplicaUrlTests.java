package io.github.s3lite.internal.config;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Parsing of replica URLs.
 */
class ReplicaUrlTests {

	@Test
	void parsesS3UrlsWithAndWithoutPrefix() {
		ReplicaUrl url = ReplicaUrl.parse("p", "s3://my-bucket/app/db/");
		assertThat(url.scheme()).isEqualTo(ReplicaUrl.Scheme.S3);
		assertThat(url.bucket()).isEqualTo("my-bucket");
		assertThat(url.prefix()).isEqualTo("app/db");
		assertThat(url).hasToString("s3://my-bucket/app/db");
		assertThat(ReplicaUrl.parse("p", "S3://my-bucket").prefix()).isEmpty();
	}

	@Test
	void parsesAbsoluteAndRelativeFileUrls() {
		assertThat(ReplicaUrl.parse("p", "file:/var/replica").directory()).isEqualTo(Path.of("/var/replica"));
		assertThat(ReplicaUrl.parse("p", "file:///var/replica").directory()).isEqualTo(Path.of("/var/replica"));
		assertThat(ReplicaUrl.parse("p", "file:./data/replica").directory())
			.isEqualTo(Path.of("data/replica").toAbsolutePath());
	}

	@Test
	void rejectsUnsupportedSchemesNamingThePropertyAndTheValidForms() {
		assertThatExceptionOfType(InvalidS3liteConfigException.class)
			.isThrownBy(() -> ReplicaUrl.parse("s3lite.backup-to", "gcs://bucket/db"))
			.satisfies((ex) -> {
				assertThat(ex.getProperty()).isEqualTo("s3lite.backup-to");
				assertThat(ex.getValue()).isEqualTo("gcs://bucket/db");
			})
			.withMessageContaining("unsupported scheme 'gcs'")
			.withMessageContaining("s3://bucket/prefix");
	}

	@Test
	void rejectsBadBucketsAndPrefixes() {
		assertThatExceptionOfType(InvalidS3liteConfigException.class).isThrownBy(() -> ReplicaUrl.parse("p", "s3:///db"))
			.withMessageContaining("bucket name is missing");
		assertThatExceptionOfType(InvalidS3liteConfigException.class)
			.isThrownBy(() -> ReplicaUrl.parse("p", "s3://ab/db"))
			.withMessageContaining("not a valid bucket name");
		assertThatExceptionOfType(InvalidS3liteConfigException.class)
			.isThrownBy(() -> ReplicaUrl.parse("p", "s3://bucket/a//b"))
			.withMessageContaining("prefix");
		assertThatExceptionOfType(InvalidS3liteConfigException.class).isThrownBy(() -> ReplicaUrl.parse("p", "file:"))
			.withMessageContaining("directory is missing");
	}

	@Test
	void theConnectionNeverShowsItsSecret() {
		S3Connection s3 = S3Connection.of(null, "eu-west-1", null, "AKIA", "very-secret-key");
		assertThat(s3.toString()).doesNotContain("very-secret-key").contains("secret hidden");
		assertThat(s3.forcePathStyle()).isFalse();
		assertThat(S3Connection.of("https://minio.local", null, null, null, null).forcePathStyle()).isTrue();
	}

}
