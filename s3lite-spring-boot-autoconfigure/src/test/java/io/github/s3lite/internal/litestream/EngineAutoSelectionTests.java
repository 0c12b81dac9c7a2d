package io.github.s3lite.internal.litestream;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

import io.github.s3lite.datasource.ReplicatingDataSource;
import io.github.s3lite.internal.engine.ReplicationEngine;
import io.github.s3lite.reliability.ReplicatedApp;
import io.github.s3lite.test.IndependentRestore;
import io.github.s3lite.test.S3ProxyServer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code s3lite.engine=auto} (the default) picks litestream when a compatible binary resolves and the
 * native engine on a platform without one.
 */
class EngineAutoSelectionTests {

	private static final String BUCKET = "auto";

	@RegisterExtension
	static final S3ProxyServer s3 = S3ProxyServer.withBucket(BUCKET);

	@TempDir
	Path dir;

	private ApplicationContextRunner app(String prefix) {
		return ReplicatedApp.runner(this.dir.resolve("data/app.sqlite3"), "s3://" + BUCKET + "/" + prefix,
				s3.endpoint());
	}

	@Test
	void autoPicksTheNativeEngineOnAPlatformWithoutALitestreamBinary() {
		app("darwin").withUserConfiguration(AppleSiliconWithoutLitestream.class).run((context) -> {
			assertThat(context.getBean(ReplicationEngine.class).name()).isEqualTo("native");
			ReplicatingDataSource dataSource = context.getBean(ReplicatingDataSource.class);
			ReplicatedApp.insert(context.getBean(JdbcTemplate.class), 1, 20);
			dataSource.sync(ReplicatedApp.SYNC_TIMEOUT);
			assertThat(dataSource.status().engine()).isEqualTo("native");
		});
		Path restored = IndependentRestore.fromS3(s3, BUCKET, "darwin", this.dir.resolve("check.db"));
		assertThat(IndependentRestore.count(restored, "items")).isEqualTo(20);
	}

	@Test
	void autoPicksLitestreamWhenTheBundledBinaryResolves() {
		app("linux").run((context) -> {
			assertThat(context.getBean(ReplicationEngine.class).name()).isEqualTo("litestream");
			assertThat(context.getBean(ReplicatingDataSource.class).status().engine()).isEqualTo("litestream");
		});
	}

	@Test
	void aBinaryNamedByThePropertyIsAChoiceSoAnUnusableOneFailsStartupInsteadOfFallingBackToNative() {
		app("named").withPropertyValues("s3lite.litestream.binary=" + this.dir.resolve("no/such/litestream"))
			.run((context) -> {
				assertThat(context).hasFailed();
				assertThat(context.getStartupFailure()).rootCause()
					.isInstanceOf(LitestreamException.class)
					.hasMessageContaining("s3lite.litestream.binary");
			});
	}

	@Configuration(proxyBeanMethods = false)
	static class AppleSiliconWithoutLitestream {

		@Bean
		LitestreamBinaryResolver s3liteLitestreamBinaryResolver(@org.springframework.beans.factory.annotation.Value("${java.io.tmpdir}") Path tmp) {
			return new LitestreamBinaryResolver(new ClassLoader(null) {
			}, new Platform("darwin", "aarch64"), "", null, tmp.resolve("s3lite-auto-test"));
		}

	}

}
