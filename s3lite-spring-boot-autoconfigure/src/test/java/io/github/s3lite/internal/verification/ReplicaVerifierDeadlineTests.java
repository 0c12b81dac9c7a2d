package io.github.s3lite.internal.verification;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.sqlite.SQLiteDataSource;

import io.github.s3lite.internal.config.ReplicaUrl;
import io.github.s3lite.replication.Replication;
import io.github.s3lite.replication.ReplicationStatus;
import io.github.s3lite.replication.ReplicationTimeoutException;
import io.github.s3lite.internal.restore.RestoreException;
import io.github.s3lite.internal.restore.RestoreResult;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link ReplicaVerifier} spends one {@code s3lite.verification.timeout} on the whole verification: the
 * sync gets the budget, the restore what the sync left. The replication and the restore are stubs on a
 * fake ticker (the budget is the subject here, not litestream); the sentinel row goes into a real
 * SQLite file.
 */
class ReplicaVerifierDeadlineTests {

	private static final Duration TIMEOUT = Duration.ofSeconds(10);

	private final AtomicLong now = new AtomicLong();

	private final List<Duration> syncTimeouts = new ArrayList<>();

	private final List<Duration> restoreTimeouts = new ArrayList<>();

	private final List<Path> restoreTargets = new ArrayList<>();

	@TempDir
	Path dir;

	@Test
	void theRestoreGetsWhatTheSyncLeftOfTheTimeout() {
		ReplicaVerifier verifier = verifier(Duration.ofSeconds(3), false, (target, remaining) -> {
			this.restoreTargets.add(target);
			this.restoreTimeouts.add(remaining);
			return new RestoreResult(RestoreResult.Outcome.REPLICA_EMPTY, "s3://bucket/db", 0, Duration.ZERO);
		});
		VerificationResult result = verifier.verify();
		assertThat(result.outcome()).isEqualTo(VerificationResult.Outcome.FAILED);
		assertThat(this.syncTimeouts).containsExactly(TIMEOUT);
		assertThat(this.restoreTimeouts).containsExactly(Duration.ofSeconds(7));
		assertThat(this.restoreTargets.get(0).getParent()).as("the verification's directory is deleted").doesNotExist();
	}

	@Test
	void aSyncThatTimesOutIsLaggingNamingTheTimeoutPropertyAndNothingIsRestored() {
		ReplicaVerifier verifier = verifier(TIMEOUT, true, (target, remaining) -> {
			throw new AssertionError("restore must not run");
		});
		VerificationResult result = verifier.verify();
		assertThat(result.outcome()).isEqualTo(VerificationResult.Outcome.LAGGING);
		assertThat(result.detail()).contains("s3lite.verification.timeout (PT10S)").contains("sync timed out");
	}

	@Test
	void aRestoreThatRunsOutOfTimeFailsNamingTheTimeoutProperty() {
		ReplicaVerifier verifier = verifier(Duration.ofSeconds(4), false, (target, remaining) -> {
			this.now.addAndGet(remaining.toNanos());
			throw new RestoreException("litestream restore timed out", (Throwable) null);
		});
		VerificationResult result = verifier.verify();
		assertThat(result.outcome()).isEqualTo(VerificationResult.Outcome.FAILED);
		assertThat(result.detail()).contains("could not be restored within s3lite.verification.timeout (PT10S)");
	}

	@Test
	void aSyncThatUsesUpTheTimeoutLeavesNoTimeToRestore() {
		ReplicaVerifier verifier = verifier(TIMEOUT, false, (target, remaining) -> {
			throw new AssertionError("restore must not run");
		});
		VerificationResult result = verifier.verify();
		assertThat(result.outcome()).isEqualTo(VerificationResult.Outcome.LAGGING);
		assertThat(result.detail()).contains("no time was left to restore it within s3lite.verification.timeout");
	}

	private ReplicaVerifier verifier(Duration syncTakes, boolean syncTimesOut, ReplicaVerifier.RestoreStep restore) {
		SQLiteDataSource dataSource = new SQLiteDataSource();
		dataSource.setUrl("jdbc:sqlite:" + this.dir.resolve("app.sqlite3"));
		Replication replication = new Replication() {

			@Override
			public void sync(Duration timeout) {
				ReplicaVerifierDeadlineTests.this.syncTimeouts.add(timeout);
				ReplicaVerifierDeadlineTests.this.now.addAndGet(syncTakes.toNanos());
				if (syncTimesOut) {
					throw new ReplicationTimeoutException("sync timed out after " + timeout);
				}
			}

			@Override
			public ReplicationStatus status() {
				return ReplicationStatus.NOT_CONFIGURED;
			}

			@Override
			public void stop() {
			}

		};
		return new ReplicaVerifier(dataSource, replication, ReplicaUrl.parse("s3lite.backup-to", "s3://bucket/db"),
				restore, TIMEOUT, this.now::get);
	}

}
