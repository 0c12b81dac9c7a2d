package io.github.s3lite.api;

import java.io.IOException;
import java.lang.reflect.Modifier;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import org.springframework.core.io.Resource;
import org.springframework.core.io.support.PathMatchingResourcePatternResolver;
import org.springframework.util.ClassUtils;

import io.github.s3lite.autoconfigure.S3liteAutoConfiguration;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The public API of the auto-configuration module is exactly this list: every other type is
 * package-private or under {@code io.github.s3lite.internal}, which may change in any release. A new
 * public type fails this test until it is added here on purpose (and documented).
 */
class PublicApiTests {

	private static final List<String> PUBLIC_API = List.of(
			// what users wire and replace
			"io.github.s3lite.autoconfigure.S3liteAutoConfiguration",
			"io.github.s3lite.autoconfigure.S3liteConnectionDetails",
			"io.github.s3lite.autoconfigure.S3liteEndpointAutoConfiguration",
			"io.github.s3lite.autoconfigure.S3liteFlywayAutoConfiguration",
			"io.github.s3lite.autoconfigure.S3liteHealthContributorAutoConfiguration",
			"io.github.s3lite.autoconfigure.S3liteMetricsAutoConfiguration",
			"io.github.s3lite.autoconfigure.S3liteS3ClientCustomizer",
			"io.github.s3lite.autoconfigure.S3liteWebAutoConfiguration",
			// the properties
			"io.github.s3lite.config.EngineSelection", "io.github.s3lite.config.S3liteProperties",
			"io.github.s3lite.config.Synchronous", "io.github.s3lite.config.TxLock",
			// the DataSource and the exceptions its connections throw
			"io.github.s3lite.replication.DatabaseReplacedException",
			"io.github.s3lite.datasource.ReplicatingDataSource",
			// replication, its status and the exceptions users catch
			"io.github.s3lite.replication.DurableCommitStats",
			"io.github.s3lite.replication.LocalDatabaseMissingException",
			"io.github.s3lite.replication.NotReplicatedException", "io.github.s3lite.replication.NotWriterException",
			"io.github.s3lite.replication.ReplicaPosition", "io.github.s3lite.replication.Replication",
			"io.github.s3lite.replication.ReplicationException", "io.github.s3lite.replication.ReplicationStatus",
			"io.github.s3lite.replication.ReplicationTimeoutException", "io.github.s3lite.replication.SyncListener",
			// operations: the endpoint, health, the web mapping of refused writes
			"io.github.s3lite.actuate.S3liteEndpoint", "io.github.s3lite.actuate.S3liteEndpointWebExtension",
			"io.github.s3lite.health.S3liteHealthIndicator", "io.github.s3lite.web.WriteRefusal",
			"io.github.s3lite.web.WriteRefusalExceptionHandler");

	@Test
	void thePublicTypesOutsideTheInternalPackagesAreExactlyTheDocumentedApi() throws Exception {
		assertThat(publicTypes()).containsExactlyInAnyOrderElementsOf(PUBLIC_API);
		assertThat(PUBLIC_API).hasSizeLessThanOrEqualTo(35);
	}

	@Test
	void theReplicaPositionInThePublicStatusIsFormatNeutral() throws Exception {
		Class<?> position = ReplicationStatusAccessors.positionType();
		assertThat(position.getName()).isEqualTo("io.github.s3lite.replication.ReplicaPosition");
		assertThat(position.isInterface()).isTrue();
	}

	private static List<String> publicTypes() throws IOException, ClassNotFoundException {
		// the module's own output (target/classes, or target/boot-4.1/classes in the Boot 4.1 build)
		String root = S3liteAutoConfiguration.class.getProtectionDomain().getCodeSource().getLocation().toString();
		List<String> types = new ArrayList<>();
		for (Resource resource : new PathMatchingResourcePatternResolver()
			.getResources(root + "io/github/s3lite/**/*.class")) {
			String url = resource.getURL().toString();
			if (!url.startsWith(root) || url.contains("$")) {
				continue;
			}
			String name = ClassUtils.convertResourcePathToClassName(
					url.substring(root.length(), url.length() - ".class".length()));
			Class<?> type = Class.forName(name, false, PublicApiTests.class.getClassLoader());
			if (Modifier.isPublic(type.getModifiers()) && !name.contains(".internal.")
					&& !name.endsWith("package-info")) {
				types.add(name);
			}
		}
		assertThat(types).as("types found in " + root).isNotEmpty();
		return types;
	}

	/**
	 * The declared type of the status's positions.
	 */
	private static final class ReplicationStatusAccessors {

		static Class<?> positionType() throws NoSuchMethodException {
			Class<?> local = io.github.s3lite.replication.ReplicationStatus.class.getMethod("localPosition")
				.getReturnType();
			Class<?> replicated = io.github.s3lite.replication.ReplicationStatus.class
				.getMethod("replicatedPosition")
				.getReturnType();
			assertThat(replicated).isEqualTo(local);
			return local;
		}

	}

}
