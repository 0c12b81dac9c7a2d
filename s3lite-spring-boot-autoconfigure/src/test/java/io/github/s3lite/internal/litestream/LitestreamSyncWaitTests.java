package io.github.s3lite.internal.litestream;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.s3lite.replication.ReplicationException;
import io.github.s3lite.replication.ReplicationTimeoutException;
import io.github.s3lite.internal.replication.WalPosition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The {@code sync()} algorithm on scripted observations of litestream. The observations are scripted
 * because the states that matter (a metrics scrape failing at the wrong moment, a restart between two
 * polls) cannot be made to happen on demand with the real binary; the end-to-end behaviour is covered
 * with the real binary by {@code RestoreAndReplicationTests}, {@code ChildKilledTests} and
 * {@code S3OutageTests}.
 */
class LitestreamSyncWaitTests {

	private static final String GENERATION = "0123456789abcdef";

	@TempDir
	Path dir;

	private final AtomicBoolean stopped = new AtomicBoolean();

	@Test
	void returnsAtOnceWhenLitestreamHasCapturedAndUploadedTheWholeWal() {
		Script script = new Script().then(observation(1, 5L, 0, at(0, 4152), at(0, 4152), true));
		wait(script).await(Duration.ofSeconds(5));
		assertThat(script.taken()).isEqualTo(1);
	}

	@Test
	void neverCountsSyncsFromABaselineThatCouldNotBeRead() {
		// the first scrapes fail (syncCount null): the old algorithm took 0 as the baseline and returned
		// at the first successful scrape (5 >= 0 + 2) before litestream captured the caller's commits
		Script script = new Script().then(observation(1, null, 0, at(0, 4152), at(0, 4152), false))
			.then(observation(1, null, 0, at(0, 4152), at(0, 4152), false))
			.then(observation(1, 5L, 0, at(0, 4152), at(0, 4152), false))
			.then(observation(1, 6L, 0, at(0, 8272), at(0, 4152), false))
			.then(observation(1, 7L, 0, at(0, 8272), at(0, 4152), false))
			.then(observation(1, 7L, 0, at(0, 8272), at(0, 8272), false));
		wait(script).await(Duration.ofSeconds(5));
		assertThat(script.taken()).as("returned only once the replica reached the position after two syncs")
			.isEqualTo(6);
	}

	@Test
	void aRestartedLitestreamStartsANewBaseline() {
		Script script = new Script().then(observation(1, 40L, 0, at(0, 4152), at(0, 32), false))
			.then(observation(2, 0L, 0, at(0, 4152), null, false))
			.then(observation(2, 1L, 0, at(0, 8272), null, false))
			.then(observation(2, 2L, 0, at(0, 8272), at(0, 8272), false));
		wait(script).await(Duration.ofSeconds(5));
		assertThat(script.taken()).isEqualTo(4);
	}

	@Test
	void anErrorSeenAfterARestartFailsTheSync() {
		// error counts never decrease across restarts, so an error reported by the new process is seen
		Script script = new Script().then(observation(1, 40L, 2, at(0, 4152), at(0, 32), false))
			.then(observation(2, 0L, 2, at(0, 4152), null, false))
			.then(observation(2, 1L, 3, at(0, 8272), null, false));
		assertThatExceptionOfType(ReplicationException.class).isThrownBy(() -> wait(script).await(Duration.ofSeconds(5)))
			.withMessageContaining("failed: boom");
	}

	@Test
	void timesOutNamingWhereTheReplicaIs() {
		Script script = new Script().then(observation(1, 1L, 0, at(0, 8272), at(0, 4152), false))
			.then(observation(1, 3L, 0, at(0, 8272), at(0, 4152), false));
		assertThatExceptionOfType(ReplicationTimeoutException.class)
			.isThrownBy(() -> wait(script).await(Duration.ofMillis(300)))
			.withMessageContaining("the replica to reach " + at(0, 8272))
			.withMessageContaining("it is at " + at(0, 4152));
	}

	@Test
	void failsOnceReplicationIsStopped() {
		Script script = new Script().then(observation(1, 1L, 0, at(0, 8272), at(0, 4152), false));
		this.stopped.set(true);
		assertThatExceptionOfType(ReplicationException.class).isThrownBy(() -> wait(script).await(Duration.ofSeconds(5)))
			.withMessageContaining("has been stopped");
	}

	private LitestreamSyncWait wait(Script script) {
		return new LitestreamSyncWait(script::next, this.stopped::get,
				new ReplicaNudge(this.dir.resolve("unused.db"), Duration.ofHours(1)), "s3://bucket/db");
	}

	private static WalPosition at(long index, long offset) {
		return new WalPosition(GENERATION, index, offset);
	}

	private static LitestreamObservation observation(long pid, Long syncCount, long errors, WalPosition local,
			WalPosition replica, boolean walCaptured) {
		return new LitestreamObservation(pid, syncCount, errors, (errors > 2) ? "boom" : null, null, local, replica, 0,
				walCaptured);
	}

	/**
	 * Observations in order; the last one repeats.
	 */
	private static final class Script {

		private final Deque<LitestreamObservation> observations = new ArrayDeque<>();

		private final AtomicInteger taken = new AtomicInteger();

		Script then(LitestreamObservation observation) {
			this.observations.add(observation);
			return this;
		}

		LitestreamObservation next() {
			this.taken.incrementAndGet();
			return (this.observations.size() > 1) ? this.observations.poll() : this.observations.peek();
		}

		int taken() {
			return this.taken.get();
		}

	}

}
