package io.github.s3lite.internal.restore;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.jdbc.core.JdbcTemplate;

import io.github.s3lite.internal.config.NativeOptions;
import io.github.s3lite.internal.config.ReplicaUrl;
import io.github.s3lite.internal.config.S3Connection;
import io.github.s3lite.internal.nativeengine.NativeEngine;
import io.github.s3lite.internal.storage.WritePermit;
import io.github.s3lite.reliability.ReplicatedApp;
import io.github.s3lite.test.S3ProxyServer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A writer that starts a new generation marks the ones it does not continue as superseded only while it
 * may write to the replica. Found by the fault harness (seed 52): a follower promoted by a hand-over was
 * fenced while it caught up, then marked the generation superseded anyway, after the previous writer had
 * taken the lease back and continued that generation: a restore skipped it and lost that writer's
 * acknowledged commits.
 */
class SupersedeUnderPermitTests {

	private static final String BUCKET = "supersede";

	@RegisterExtension
	static final S3ProxyServer s3 = S3ProxyServer.withBucket(BUCKET);

	@TempDir
	Path dir;

	@ParameterizedTest
	@ValueSource(booleans = { true, false })
	void aNewGenerationSupersedesTheRestoredOneOnlyWhileItsWriterMayWriteTheReplica(boolean permitted)
			throws Exception {
		String prefix = "permit-" + permitted + "-" + UUID.randomUUID();
		String replica = "s3://" + BUCKET + "/" + prefix;
		ReplicatedApp.runner(this.dir.resolve("writer/app.db"), replica, s3.endpoint())
			.withPropertyValues("s3lite.engine=native", "s3lite.lease.enabled=false")
			.run((context) -> ReplicatedApp.insert(context.getBean(JdbcTemplate.class), 1, 5));
		NativeEngine engine = new NativeEngine(
				S3Connection.of(s3.endpoint(), null, null, S3ProxyServer.ACCESS_KEY, S3ProxyServer.SECRET_KEY),
				new NativeOptions(Duration.ofSeconds(1), Duration.ofHours(1), Duration.ofHours(24), 64L << 20,
						Duration.ofSeconds(10)));
		WritePermit permit = () -> permitted;
		ContinuationRule newGeneration = new ContinuationRule() {

			@Override
			public Verdict decide(Optional<String> restoredEnd, EndOrder order) {
				return Verdict.NEW_GENERATION;
			}

			@Override
			public WritePermit permit() {
				return permit;
			}

		};
		Path staging = this.dir.resolve("successor/.app.db.staging");
		staging.getParent().toFile().mkdirs();
		boolean restored = new VerifiedRestore(engine, ReplicaUrl.parse("s3lite.backup-to", replica),
				Duration.ofSeconds(30), newGeneration)
			.restoreInto(staging, new ArrayList<>(List.of()));
		assertThat(restored).as("the restore itself does not need the permit").isTrue();
		List<String> marks = s3.keys(BUCKET, prefix + "/generations/")
			.stream()
			.filter((key) -> key.endsWith("/s3lite-superseded"))
			.toList();
		if (permitted) {
			assertThat(marks).hasSize(1);
		}
		else {
			assertThat(marks).as("a fenced writer writes no mark").isEmpty();
		}
	}

}
