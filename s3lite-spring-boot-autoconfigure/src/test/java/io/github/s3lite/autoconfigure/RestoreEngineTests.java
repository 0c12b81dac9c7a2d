package io.github.s3lite.autoconfigure;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;

import io.github.s3lite.internal.config.NativeOptions;
import io.github.s3lite.internal.config.ReplicaUrl;
import io.github.s3lite.internal.config.S3Connection;
import io.github.s3lite.datasource.ReplicatingDataSource;
import io.github.s3lite.internal.engine.ReplicationEngine;
import io.github.s3lite.internal.nativeengine.NativeEngine;
import io.github.s3lite.reliability.ReplicatedApp;
import io.github.s3lite.replication.Replication;
import io.github.s3lite.internal.restore.RestoreResult;
import io.github.s3lite.test.IndependentRestore;
import io.github.s3lite.test.S3ProxyServer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The startup restore runs through the native restore whichever engine replicates: with
 * {@code s3lite.engine=litestream} a replica written by the real litestream binary is restored in the
 * JVM while litestream keeps replicating; {@code s3lite.litestream.native-restore=false} goes back to
 * {@code litestream restore}; an application's own engine restores itself.
 */
@ExtendWith(OutputCaptureExtension.class)
class RestoreEngineTests {

	private static final String BUCKET = "s3lite-restore-engine";

	/** What only the native restore logs ("Restored N bytes into FILE in T ms"). */
	private static final String NATIVE_RESTORE_LINE = " bytes into ";

	@RegisterExtension
	static final S3ProxyServer s3 = S3ProxyServer.withBucket(BUCKET);

	@TempDir
	Path dir;

	private ApplicationContextRunner app(String prefix, String... properties) {
		return ReplicatedApp.runner(this.dir.resolve("data/app.sqlite3"), "s3://" + BUCKET + "/" + prefix, s3.endpoint())
			.withPropertyValues("s3lite.engine=litestream", "s3lite.lease.enabled=false")
			.withPropertyValues(properties);
	}

	private void seedWithLitestream(String prefix, int rows) {
		app(prefix).run((context) -> {
			assertThat(context).hasNotFailed();
			ReplicatedApp.insert(context.getBean(JdbcTemplate.class), 1, rows);
			context.getBean(ReplicatingDataSource.class).sync(ReplicatedApp.SYNC_TIMEOUT);
		});
		S3liteAutoConfigurationTests.deleteDatabase(this.dir.resolve("data/app.sqlite3"));
	}

	@Test
	void withTheLitestreamEngineTheStartupRestoreIsNativeAndLitestreamKeepsReplicating(CapturedOutput output) {
		seedWithLitestream("litestream", 30);
		int before = output.toString().length();
		app("litestream").run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context.getBean(RestoreResult.class).outcome()).isEqualTo(RestoreResult.Outcome.RESTORED);
			assertThat(output.toString().substring(before)).contains(NATIVE_RESTORE_LINE);
			JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
			assertThat(jdbc.queryForObject("SELECT count(*) FROM items", Integer.class)).isEqualTo(30);
			ReplicatingDataSource dataSource = context.getBean(ReplicatingDataSource.class);
			assertThat(dataSource.status().engine()).isEqualTo("litestream");
			ReplicatedApp.insert(jdbc, 31, 40);
			dataSource.sync(ReplicatedApp.SYNC_TIMEOUT);
		});
		Path restored = IndependentRestore.fromS3(s3, BUCKET, "litestream", this.dir.resolve("check.sqlite3"));
		assertThat(IndependentRestore.count(restored, "items")).isEqualTo(40);
	}

	@Test
	void nativeRestoreOffRestoresWithTheLitestreamBinary(CapturedOutput output) {
		seedWithLitestream("binary", 12);
		int before = output.toString().length();
		app("binary", "s3lite.litestream.native-restore=false").run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context.getBean(RestoreResult.class).outcome()).isEqualTo(RestoreResult.Outcome.RESTORED);
			assertThat(output.toString().substring(before)).doesNotContain(NATIVE_RESTORE_LINE);
			assertThat(context.getBean(JdbcTemplate.class).queryForObject("SELECT count(*) FROM items", Integer.class))
				.isEqualTo(12);
		});
	}

	@Test
	void nativeRestoreOffWithTheNativeEngineFailsStartupNamingBothProperties() {
		app("contradiction", "s3lite.engine=native", "s3lite.litestream.native-restore=false").run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.hasMessageContaining("s3lite.litestream.native-restore")
				.hasMessageContaining("s3lite.engine=native");
		});
	}

	@Test
	void anApplicationsOwnEngineRestoresItself() {
		seedWithLitestream("own", 5);
		app("own").withUserConfiguration(OwnEngine.class).run((context) -> {
			assertThat(context).hasNotFailed();
			CountingEngine engine = context.getBean(CountingEngine.class);
			assertThat(context.getBean(ReplicationEngine.class)).isSameAs(engine);
			assertThat(engine.restores).hasSize(1);
			assertThat(context.getBean(JdbcTemplate.class).queryForObject("SELECT count(*) FROM items", Integer.class))
				.isEqualTo(5);
		});
	}

	@Configuration(proxyBeanMethods = false)
	static class OwnEngine {

		@Bean
		CountingEngine ownEngine() {
			return new CountingEngine(new NativeEngine(S3Connection.of(s3.endpoint(), null, null,
					S3ProxyServer.ACCESS_KEY, S3ProxyServer.SECRET_KEY), new NativeOptions(Duration.ofSeconds(1),
							Duration.ofHours(1), Duration.ofHours(24), 64L << 20, Duration.ofSeconds(10))));
		}

	}

	/**
	 * An application's own engine: the native engine, counting its restores.
	 */
	static final class CountingEngine implements ReplicationEngine {

		final List<Path> restores = new CopyOnWriteArrayList<>();

		private final ReplicationEngine delegate;

		CountingEngine(ReplicationEngine delegate) {
			this.delegate = delegate;
		}

		@Override
		public String name() {
			return "own";
		}

		@Override
		public boolean restore(ReplicaUrl replica, Path target, Duration timeout) {
			this.restores.add(target);
			return this.delegate.restore(replica, target, timeout);
		}

		@Override
		public void checkReplica(Path database, ReplicaUrl replica) {
			this.delegate.checkReplica(database, replica);
		}

		@Override
		public Replication start(Path database, ReplicaUrl replica) {
			return this.delegate.start(database, replica);
		}

		@Override
		public List<String> connectionStatements() {
			return this.delegate.connectionStatements();
		}

	}

}
