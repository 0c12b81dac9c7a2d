package io.github.s3lite.durable;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import io.github.s3lite.internal.engine.ReplicationEngine;
import io.github.s3lite.reliability.ReplicatedApp;
import io.github.s3lite.test.S3ProxyServer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code s3lite.durable-commits} chooses the native engine under {@code auto} and refuses the
 * litestream engine and a configuration without a replica.
 */
class DurableCommitsConfigurationTests {

	private static final String BUCKET = "durable-config";

	@RegisterExtension
	static final S3ProxyServer s3 = S3ProxyServer.withBucket(BUCKET);

	@TempDir
	Path dir;

	@Test
	void autoChoosesTheNativeEngineForDurableCommitsEvenWhenLitestreamResolves() {
		ReplicatedApp.runner(this.dir.resolve("app.sqlite3"), "s3://" + BUCKET + "/auto", s3.endpoint())
			.withPropertyValues("s3lite.durable-commits=true")
			.run((context) -> assertThat(context.getBean(ReplicationEngine.class).name()).isEqualTo("native"));
	}

	@Test
	void anExplicitLitestreamEngineWithDurableCommitsFailsStartupNamingBothProperties() {
		ReplicatedApp.runner(this.dir.resolve("app.sqlite3"), "s3://" + BUCKET + "/litestream", s3.endpoint())
			.withPropertyValues("s3lite.durable-commits=true", "s3lite.engine=litestream")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("s3lite.durable-commits")
				.hasMessageContaining("s3lite.engine"));
	}

	@Test
	void durableCommitsWithoutAReplicaFailStartup() {
		ReplicatedApp.runner(this.dir.resolve("app.sqlite3"), "s3://" + BUCKET + "/none", s3.endpoint())
			.withPropertyValues("s3lite.durable-commits=true", "s3lite.backup-to=")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("s3lite.durable-commits")
				.hasMessageContaining("s3lite.backup-to"));
	}

}
