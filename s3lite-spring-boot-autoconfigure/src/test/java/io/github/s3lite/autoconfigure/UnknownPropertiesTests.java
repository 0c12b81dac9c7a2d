package io.github.s3lite.autoconfigure;

import java.nio.file.Path;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.core.env.SystemEnvironmentPropertySource;

import io.github.s3lite.internal.config.InvalidS3liteConfigException;
import io.github.s3lite.internal.config.S3liteConfig;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Unknown keys under {@code s3lite.*} fail startup naming the key and the nearest valid property;
 * every relaxed spelling of a real property is accepted; mismatched replicas are warned about.
 */
@ExtendWith(OutputCaptureExtension.class)
class UnknownPropertiesTests {

	@TempDir
	Path dir;

	private ApplicationContextRunner runner(String... properties) {
		return new ApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(S3liteAutoConfiguration.class, DataSourceAutoConfiguration.class))
			.withPropertyValues("s3lite.path=" + this.dir.resolve("app.sqlite3"))
			.withPropertyValues(properties);
	}

	private ApplicationContextRunner withEnvironmentVariables(ApplicationContextRunner runner,
			Map<String, Object> variables) {
		return runner.withInitializer((context) -> context.getEnvironment()
			.getPropertySources()
			.addLast(new SystemEnvironmentPropertySource("test-systemEnvironment", variables)));
	}

	private static InvalidS3liteConfigException failure(org.springframework.boot.test.context.assertj.AssertableApplicationContext context) {
		assertThat(context).hasFailed();
		Throwable cause = context.getStartupFailure();
		while (!(cause instanceof InvalidS3liteConfigException) && cause.getCause() != null) {
			cause = cause.getCause();
		}
		assertThat(cause).isInstanceOf(InvalidS3liteConfigException.class);
		return (InvalidS3liteConfigException) cause;
	}

	@Test
	void aTypoInBackupToFailsStartupNamingTheKeyAndTheNearestValidOne() {
		runner("s3lite.backup-too=s3://bucket/db").run((context) -> {
			InvalidS3liteConfigException ex = failure(context);
			assertThat(ex.getProperty()).isEqualTo("s3lite.backup-too");
			assertThat(ex.getMessage()).contains("not an s3lite property", "silently ignore");
			assertThat(ex.getAction()).isEqualTo(
					"Did you mean s3lite.backup-to? Rename s3lite.backup-too to s3lite.backup-to, or remove it.");
		});
	}

	@Test
	void aRenamedPropertyFailsStartupNamingItsNewName() {
		runner("s3lite.litestream.restore-timeout=5m").run((context) -> {
			InvalidS3liteConfigException ex = failure(context);
			assertThat(ex.getMessage()).contains("it was renamed to s3lite.restore-timeout");
			assertThat(ex.getAction()).isEqualTo("Rename s3lite.litestream.restore-timeout to s3lite.restore-timeout.");
		});
		runner("s3lite.litestream.shutdown-sync-timeout=5s").run((context) -> assertThat(failure(context).getAction())
			.isEqualTo("Rename s3lite.litestream.shutdown-sync-timeout to s3lite.shutdown-sync-timeout."));
	}

	@Test
	void aTypoInRestoreFromFailsStartupSuggestingRestoreFrom() {
		runner("s3lite.restore-form=s3://bucket/db").run((context) -> assertThat(failure(context).getAction())
			.startsWith("Did you mean s3lite.restore-from?"));
	}

	@Test
	void aTypoInANestedPropertySuggestsTheNestedProperty() {
		runner("s3lite.litestream.sync-intervall=2s").run((context) -> assertThat(failure(context).getAction())
			.startsWith("Did you mean s3lite.litestream.sync-interval?"));
		runner("s3lite.s3.endpont=http://127.0.0.1:9000").run((context) -> assertThat(failure(context).getAction())
			.startsWith("Did you mean s3lite.s3.endpoint?"));
	}

	@Test
	void aTypoInAnEnvironmentVariableIsNamedAsWritten() {
		withEnvironmentVariables(runner(), Map.of("S3LITE_BACKUP_TOO", "s3://bucket/db")).run((context) -> {
			InvalidS3liteConfigException ex = failure(context);
			assertThat(ex.getProperty()).isEqualTo("S3LITE_BACKUP_TOO");
			assertThat(ex.getAction()).startsWith("Did you mean s3lite.backup-to?");
		});
	}

	@Test
	void aMisspelledSecretIsNamedButItsValueIsNeverShown() {
		runner("s3lite.s3.secret-acess-key=top-secret-value").run((context) -> {
			InvalidS3liteConfigException ex = failure(context);
			assertThat(ex.getMessage()).contains("s3lite.s3.secret-acess-key", "s3lite.s3.secret-access-key")
				.doesNotContain("top-secret-value");
			assertThat(ex.getValue()).isNull();
		});
	}

	@Test
	void aKeyFarFromEveryPropertyPointsToTheReference() {
		runner("s3lite.completely-unrelated-setting=1").run((context) -> assertThat(failure(context).getAction())
			.contains("configuration reference"));
	}

	@Test
	void everyRelaxedSpellingOfARealPropertyIsAccepted() {
		runner("s3lite.busyTimeout=3s", "s3lite.tx_lock=deferred", "s3lite.litestream.SYNC-INTERVAL=2s",
				"s3lite.migrations[0]=CREATE TABLE IF NOT EXISTS a (id INTEGER)",
				"s3lite.migrations[1]=CREATE TABLE IF NOT EXISTS b (id INTEGER)",
				"s3lite.health.max-lag=2m")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				S3liteConfig config = context.getBean(S3liteConfig.class);
				assertThat(config.busyTimeout()).hasSeconds(3);
				assertThat(config.migrations()).hasSize(2);
			});
		withEnvironmentVariables(runner(),
				Map.of("S3LITE_BUSY_TIMEOUT", "4s", "S3LITE_LITESTREAM_SYNCINTERVAL", "2s", "S3LITE_MIGRATIONS_0_",
						"CREATE TABLE IF NOT EXISTS a (id INTEGER)", "S3LITE_S3_ACCESS_KEY_ID", "",
						"S3LITE_S3_SECRETACCESSKEY", ""))
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context.getBean(S3liteConfig.class).busyTimeout()).hasSeconds(4);
			});
	}

	@Test
	void restoreFromWithoutBackupToIsWarnedAbout(CapturedOutput output) {
		runner("s3lite.restore-from=file:" + this.dir.resolve("replica")).run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(output).containsPattern("WARN .*s3lite.restore-from is set \\(file:.*\\) but s3lite.backup-to is not");
		});
	}

	@Test
	void differentRestoreFromAndBackupToAreWarnedAbout(CapturedOutput output) {
		runner("s3lite.restore-from=file:" + this.dir.resolve("old"), "s3lite.backup-to=file:" + this.dir.resolve("new"))
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(output).containsPattern("WARN .*s3lite.restore-from \\(file:.*old\\) and s3lite.backup-to \\(file:.*new\\) differ");
			});
	}

	@Test
	void theSameReplicaForBothIsNotWarnedAbout(CapturedOutput output) {
		String replica = "file:" + this.dir.resolve("replica");
		runner("s3lite.restore-from=" + replica, "s3lite.backup-to=" + replica)
			.run((context) -> assertThat(context).hasNotFailed());
		assertThat(output).doesNotContain("s3lite.restore-from is set").doesNotContain("differ:");
	}

}
