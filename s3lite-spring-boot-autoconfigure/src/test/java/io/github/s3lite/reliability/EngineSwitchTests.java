package io.github.s3lite.reliability;

import java.nio.file.Path;

import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.jdbc.core.JdbcTemplate;

import io.github.s3lite.datasource.ReplicatingDataSource;
import io.github.s3lite.test.IndependentRestore;
import io.github.s3lite.test.S3ProxyServer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Switching engines on an existing replica, in both directions: the second engine continues from the
 * local file, and fresh restores by the real {@code litestream restore} and by a fresh application on
 * the second engine have every row.
 */
class EngineSwitchTests {

	private static final String BUCKET = "switch";

	@RegisterExtension
	static final S3ProxyServer s3 = S3ProxyServer.withBucket(BUCKET);

	@TempDir
	Path dir;

	private ApplicationContextRunner app(String engine, String prefix, String file) {
		return ReplicatedApp.runner(this.dir.resolve(file), "s3://" + BUCKET + "/" + prefix, s3.endpoint())
			.withPropertyValues("s3lite.engine=" + engine);
	}

	@ParameterizedTest(name = "{0} then {1}")
	@CsvSource({ "litestream, native", "native, litestream" })
	void anotherEngineContinuesAnExistingReplicaAndEveryRowIsRestored(String first, String second) {
		String prefix = first + "-then-" + second;
		app(first, prefix, "data/app.sqlite3").run((context) -> {
			ReplicatedApp.insert(context.getBean(JdbcTemplate.class), 1, 50);
			context.getBean(ReplicatingDataSource.class).sync(ReplicatedApp.SYNC_TIMEOUT);
		});
		app(second, prefix, "data/app.sqlite3").run((context) -> {
			ReplicatedApp.insert(context.getBean(JdbcTemplate.class), 51, 80);
			context.getBean(ReplicatingDataSource.class).sync(ReplicatedApp.SYNC_TIMEOUT);
		});
		Path restored = IndependentRestore.fromS3(s3, BUCKET, prefix, this.dir.resolve("check.db"));
		assertThat(IndependentRestore.integrityCheck(restored)).isEqualTo("ok");
		assertThat(IndependentRestore.count(restored, "items")).isEqualTo(80);
		app(second, prefix, "fresh/app.sqlite3").run((context) -> assertThat(
				context.getBean(JdbcTemplate.class).queryForObject("SELECT count(*) FROM items", Long.class))
			.isEqualTo(80));
	}

}
