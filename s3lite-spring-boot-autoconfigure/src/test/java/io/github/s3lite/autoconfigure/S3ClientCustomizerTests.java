package io.github.s3lite.autoconfigure;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.jdbc.core.JdbcTemplate;

import io.github.s3lite.datasource.ReplicatingDataSource;
import io.github.s3lite.internal.datasource.WriteGate;
import io.github.s3lite.internal.lease.ReplicaLease;
import io.github.s3lite.internal.restore.BackgroundRestore;
import io.github.s3lite.internal.restore.RestoreResult;
import io.github.s3lite.test.S3ProxyServer;
import io.github.s3lite.testapp.S3liteApps;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link S3liteS3ClientCustomizer} beans reach every S3 client s3lite builds, in order, after s3lite's
 * own settings: shown on a real S3 API (S3Proxy) by an application whose {@code s3lite.s3.endpoint}
 * points nowhere and whose customizer sends the requests to S3Proxy instead, so that the lease, the
 * startup restore and replication only work if each of their clients was customized.
 */
class S3ClientCustomizerTests {

	private static final String BUCKET = "s3lite-client-customizer";

	/** Nothing listens there: a client that was not customized cannot reach the replica. */
	private static final String NOWHERE = "http://127.0.0.1:9";

	@RegisterExtension
	static final S3ProxyServer s3 = S3ProxyServer.withBucket(BUCKET);

	/** Requests the customized clients sent, as "METHOD /path"; read by {@link Customizers}. */
	static final List<String> requests = Collections.synchronizedList(new ArrayList<>());

	/** Names of the customizers in the order they ran; read by {@link OrderedCustomizers}. */
	static final List<String> applied = Collections.synchronizedList(new ArrayList<>());

	@TempDir
	Path dir;

	private String replica;

	private Path database;

	@BeforeEach
	void names(TestInfo info) {
		this.replica = "s3://" + BUCKET + "/db/" + info.getTestMethod().orElseThrow().getName();
		this.database = this.dir.resolve("data/app.sqlite3");
		requests.clear();
		applied.clear();
	}

	private ApplicationContextRunner app(String... properties) {
		return S3liteApps.withJdbc()
			.withPropertyValues(s3.s3liteProperties(this.database, this.replica))
			.withPropertyValues("s3lite.engine=native",
					"s3lite.migrations[0]=CREATE TABLE IF NOT EXISTS items (id INTEGER PRIMARY KEY)")
			.withPropertyValues(properties);
	}

	@Test
	void theLeaseTheRestoreAndReplicationAllUseTheCustomizedClients() {
		app().run((context) -> {
			assertThat(context).hasNotFailed();
			JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
			for (int i = 1; i <= 5; i++) {
				jdbc.update("INSERT INTO items (id) VALUES (?)", i);
			}
			context.getBean(ReplicatingDataSource.class).sync(Duration.ofSeconds(20));
		});
		S3liteAutoConfigurationTests.deleteDatabase(this.database);
		app("s3lite.s3.endpoint=" + NOWHERE).withUserConfiguration(Customizers.class).run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context).as("restored in line: the customizers are beans").doesNotHaveBean(BackgroundRestore.class);
			assertThat(context.getBean(WriteGate.class).isWriter()).as("the lease was taken").isTrue();
			assertThat(context.getBean(RestoreResult.class).outcome()).isEqualTo(RestoreResult.Outcome.RESTORED);
			JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
			assertThat(jdbc.queryForObject("SELECT count(*) FROM items", Integer.class)).isEqualTo(5);
			jdbc.update("INSERT INTO items (id) VALUES (6)");
			context.getBean(ReplicatingDataSource.class).sync(Duration.ofSeconds(20));
		});
		String prefix = "/" + BUCKET + "/db/theLeaseTheRestoreAndReplicationAllUseTheCustomizedClients/";
		assertThat(requests).isNotEmpty()
			.as("the lease's client")
			.anyMatch((request) -> request.startsWith("PUT " + prefix + ReplicaLease.KEY))
			.as("the restore's client")
			.anyMatch((request) -> request.startsWith("GET " + prefix + "generations/"))
			.as("replication's client")
			.anyMatch((request) -> request.startsWith("PUT " + prefix + "generations/"));
	}

	@Test
	void customizersRunInTheirOrderOnEveryClientAfterS3litesOwnSettings() {
		app("s3lite.lease.enabled=false").withUserConfiguration(OrderedCustomizers.class).run((context) -> {
			assertThat(context).hasNotFailed();
			context.getBean(JdbcTemplate.class).update("INSERT INTO items (id) VALUES (1)");
			context.getBean(ReplicatingDataSource.class).sync(Duration.ofSeconds(20));
		});
		assertThat(applied).isNotEmpty().hasSize(applied.size() / 2 * 2);
		for (int i = 0; i < applied.size(); i += 2) {
			assertThat(applied.subList(i, i + 2)).containsExactly("first (endpoint nowhere)", "second (S3Proxy)");
		}
	}

	@Configuration(proxyBeanMethods = false)
	static class Customizers {

		@Bean
		@Order(2)
		S3liteS3ClientCustomizer recordingCustomizer() {
			ExecutionInterceptor recording = new ExecutionInterceptor() {

				@Override
				public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
					requests.add(context.httpRequest().method() + " " + context.httpRequest().encodedPath());
				}

			};
			// added to s3lite's override configuration, not replacing it
			return (builder) -> builder.overrideConfiguration(
					builder.overrideConfiguration().toBuilder().addExecutionInterceptor(recording).build());
		}

		@Bean
		@Order(1)
		S3liteS3ClientCustomizer endpointCustomizer() {
			return (builder) -> builder.endpointOverride(URI.create(s3.endpoint()));
		}

	}

	/** Declared in the opposite order to the one they run in. */
	@Configuration(proxyBeanMethods = false)
	static class OrderedCustomizers {

		@Bean
		@Order(2)
		S3liteS3ClientCustomizer secondCustomizer() {
			return (builder) -> {
				applied.add("second (S3Proxy)");
				builder.endpointOverride(URI.create(s3.endpoint()));
			};
		}

		@Bean
		@Order(1)
		S3liteS3ClientCustomizer firstCustomizer() {
			return (builder) -> {
				applied.add("first (endpoint nowhere)");
				builder.endpointOverride(URI.create(NOWHERE));
			};
		}

	}

}
