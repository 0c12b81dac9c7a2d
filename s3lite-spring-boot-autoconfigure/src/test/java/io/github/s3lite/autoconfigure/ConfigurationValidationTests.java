package io.github.s3lite.autoconfigure;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import io.github.s3lite.testapp.MinimalS3liteApplication;

import io.github.s3lite.config.S3liteProperties;
import io.github.s3lite.internal.config.S3liteConfig;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/**
 * Invalid {@code s3lite.*} values fail startup, naming the property, before any file or replica work.
 * Each case starts a real application and reads what the user sees in the startup failure output.
 */
@ExtendWith(OutputCaptureExtension.class)
class ConfigurationValidationTests {

	@TempDir
	Path dir;

	private CapturedOutput output;

	@org.junit.jupiter.api.BeforeEach
	void captureOutput(CapturedOutput output) {
		this.output = output;
	}

	private Runner runner(String... properties) {
		return new Runner(properties);
	}

	private final class Runner {

		private final String[] properties;

		private Runner(String[] properties) {
			this.properties = properties;
		}

		void run(java.util.function.Consumer<String> assertions) {
			String[] all = new String[this.properties.length + 1];
			all[0] = "s3lite.path=" + ConfigurationValidationTests.this.dir.resolve("db/app.sqlite3");
			System.arraycopy(this.properties, 0, all, 1, this.properties.length);
			assertThatException().isThrownBy(() -> new SpringApplicationBuilder(MinimalS3liteApplication.class)
				.web(WebApplicationType.NONE)
				.properties(all)
				.run()
				.close());
			assertions.accept(ConfigurationValidationTests.this.output.toString());
		}

	}

	private void assertFailsNaming(String output, String... fragments) {
		assertThat(output).contains(fragments);
		assertThat(Files.exists(this.dir.resolve("db"))).as("no file work happened").isFalse();
	}


	@Test
	void missingPathFailsNamingTheProperty() {
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(S3liteAutoConfiguration.class))
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure()).rootCause().hasMessageContaining("s3lite.path");
			});
	}

	@Test
	void unsupportedReplicaSchemeFailsNamingTheValidForms() {
		runner("s3lite.backup-to=gs://bucket/db").run((context) -> assertFailsNaming(context, "s3lite.backup-to",
				"gs://bucket/db", "unsupported scheme 'gs'", "s3://bucket/prefix", "file:"));
	}

	@Test
	void aMisspelledPropertyFailsStartupNamingItAndTheNearestValidOne() {
		runner("s3lite.backup-too=s3://bucket/db").run((context) -> assertFailsNaming(context,
				"s3lite cannot use the property 's3lite.backup-too'", "not an s3lite property",
				"Did you mean s3lite.backup-to?"));
	}

	@Test
	void aNegativeFollowerRefreshIntervalFailsNamingThePropertyAndZeroTurnsTheRefreshOff() {
		runner("s3lite.follower.refresh-interval=-1s").run((context) -> assertFailsNaming(context,
				"s3lite.follower.refresh-interval", "must not be negative", "Use 0"));
		S3liteProperties properties = new S3liteProperties();
		properties.setPath(java.nio.file.Path.of("app.db"));
		assertThat(S3liteConfig.from(properties, null).lease().refreshInterval()).isEqualTo(java.time.Duration.ofSeconds(1));
		properties.getFollower().setRefreshInterval(java.time.Duration.ZERO);
		assertThat(S3liteConfig.from(properties, null).lease().refreshInterval()).isZero();
	}

	@Test
	void aNegativeReadYourWritesTimeoutFailsNamingThePropertyAndZeroDoesNotWait() {
		runner("s3lite.follower.read-your-writes-timeout=-1s").run((context) -> assertFailsNaming(context,
				"s3lite.follower.read-your-writes-timeout", "must not be negative", "Use 0"));
		S3liteProperties properties = new S3liteProperties();
		properties.setPath(java.nio.file.Path.of("app.db"));
		assertThat(S3liteConfig.from(properties, null).lease().readYourWritesTimeout())
			.isEqualTo(java.time.Duration.ofSeconds(5));
		properties.getFollower().setReadYourWritesTimeout(java.time.Duration.ZERO);
		assertThat(S3liteConfig.from(properties, null).lease().readYourWritesTimeout()).isZero();
	}

	@Test
	void invalidBucketNameFails() {
		runner("s3lite.restore-from=s3://Bad_Bucket/db")
			.run((context) -> assertFailsNaming(context, "s3lite.restore-from", "Bad_Bucket", "not a valid bucket name"));
	}

	@Test
	void missingSchemeFails() {
		runner("s3lite.backup-to=my-bucket/db")
			.run((context) -> assertFailsNaming(context, "s3lite.backup-to", "missing scheme"));
	}

	@Test
	void invalidSynchronousFailsNamingTheValidValues() {
		runner("s3lite.synchronous=sometimes").run((context) -> assertFailsNaming(context, "s3lite.synchronous",
				"sometimes", "OFF", "NORMAL", "FULL", "EXTRA"));
	}

	@Test
	void invalidTxLockFailsNamingTheValidValues() {
		runner("s3lite.tx-lock=eager").run(
				(context) -> assertFailsNaming(context, "s3lite.tx-lock", "eager", "DEFERRED", "IMMEDIATE", "EXCLUSIVE"));
	}

	@Test
	void unparsableDurationFails() {
		runner("s3lite.litestream.sync-interval=often")
			.run((context) -> assertFailsNaming(context, "s3lite.litestream.sync-interval", "often"));
	}

	@Test
	void zeroSyncIntervalFails() {
		runner("s3lite.litestream.sync-interval=0s")
			.run((context) -> assertFailsNaming(context, "s3lite.litestream.sync-interval", "positive duration"));
	}

	@Test
	void halfAKeyPairFails() {
		runner("s3lite.s3.access-key-id=AKIA123").run((context) -> assertFailsNaming(context,
				"s3lite.s3.secret-access-key", "Set both"));
	}

	@Test
	void endpointWithoutSchemeFails() {
		runner("s3lite.s3.endpoint=minio:9000")
			.run((context) -> assertFailsNaming(context, "s3lite.s3.endpoint", "http(s) URL"));
	}

	@Test
	void blankMigrationFailsNamingItsIndex() {
		runner("s3lite.migrations[0]=CREATE TABLE a (id INTEGER)", "s3lite.migrations[1]= ")
			.run((context) -> assertFailsNaming(context, "s3lite.migrations[1]"));
	}

	@Test
	void pathThatIsADirectoryFails() throws Exception {
		Path directory = Files.createDirectories(this.dir.resolve("adir"));
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(S3liteAutoConfiguration.class))
			.withPropertyValues("s3lite.path=" + directory)
			.run((context) -> assertThat(context.getStartupFailure()).rootCause()
				.hasMessageContaining("s3lite.path")
				.hasMessageContaining("is a directory"));
	}

}
