package io.github.s3lite.internal.litestream;

import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Supervision of the litestream process, on fake processes: the races that matter (a restart while the
 * context closes) cannot be timed on demand with the real binary. The real binary is supervised in
 * {@code ChildKilledTests} and {@code RestoreAndReplicationTests}.
 */
class LitestreamSupervisorTests {

	@Test
	void aProcessThatExitsUnexpectedlyIsRestartedAndCounted() {
		List<FakeProcess> started = new CopyOnWriteArrayList<>();
		LitestreamSupervisor supervisor = new LitestreamSupervisor(() -> add(started, new FakeProcess()),
				Duration.ofSeconds(1));
		supervisor.start();
		started.get(0).exit(1);
		await().atMost(Duration.ofSeconds(10)).until(() -> started.size() == 2 && supervisor.isRunning());
		assertThat(supervisor.restartCount()).isEqualTo(1);
		assertThat(supervisor.lastExit()).contains("exited unexpectedly with code 1");
		assertThat(supervisor.stop(Duration.ofSeconds(1))).isTrue();
		assertThat(started).noneMatch(FakeProcess::isAlive);
	}

	@Test
	void aRestartRacingStopNeverLeavesAProcessRunning() throws Exception {
		CountDownLatch stopCalled = new CountDownLatch(1);
		List<FakeProcess> started = new CopyOnWriteArrayList<>();
		Thread[] stopper = new Thread[1];
		LitestreamSupervisor supervisor = new LitestreamSupervisor(() -> {
			if (!started.isEmpty()) {
				// the restart is under way when the context closes: let stop() begin, then finish starting
				stopCalled.countDown();
				await().atMost(Duration.ofSeconds(5))
					.until(() -> stopper[0].getState() == Thread.State.BLOCKED
							|| stopper[0].getState() == Thread.State.TERMINATED);
			}
			return add(started, new FakeProcess());
		}, Duration.ofSeconds(1));
		supervisor.start();
		stopper[0] = new Thread(() -> {
			try {
				stopCalled.await(10, TimeUnit.SECONDS);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			supervisor.stop(Duration.ofSeconds(1));
		});
		stopper[0].start();
		started.get(0).exit(1);
		stopper[0].join(15_000);
		await().atMost(Duration.ofSeconds(5)).until(() -> started.size() == 2);
		assertThat(started).as("no process outlives the supervisor").noneMatch(FakeProcess::isAlive);
	}

	@Test
	void noProcessIsStartedOnceStopped() throws Exception {
		List<FakeProcess> started = new CopyOnWriteArrayList<>();
		LitestreamSupervisor supervisor = new LitestreamSupervisor(() -> add(started, new FakeProcess()),
				Duration.ofSeconds(1));
		supervisor.start();
		supervisor.stop(Duration.ofSeconds(1));
		started.get(0).exit(1);
		await().during(Duration.ofMillis(1500)).atMost(Duration.ofSeconds(3)).until(() -> started.size() == 1);
		assertThat(supervisor.isRunning()).isFalse();
	}

	@Test
	void aStopReportsTheExitCodeOnlyOfTheProcessThatWasExpectedToRun() {
		List<FakeProcess> started = new CopyOnWriteArrayList<>();
		LitestreamSupervisor expected = new LitestreamSupervisor(() -> add(started, new FakeProcess(0)),
				Duration.ofSeconds(1));
		expected.start();
		assertThat(expected.stopReportingExit(Duration.ofSeconds(1), started.get(0).pid())).hasValue(0);
		LitestreamSupervisor another = new LitestreamSupervisor(() -> add(started, new FakeProcess(0)),
				Duration.ofSeconds(1));
		another.start();
		assertThat(another.stopReportingExit(Duration.ofSeconds(1), started.get(0).pid())).isEmpty();
		LitestreamSupervisor restarted = new LitestreamSupervisor(() -> add(started, new FakeProcess(0)),
				Duration.ofSeconds(1));
		restarted.start();
		FakeProcess crashed = started.get(2);
		crashed.exit(0);
		await().atMost(Duration.ofSeconds(10)).until(() -> started.size() == 4 && restarted.isRunning());
		assertThat(restarted.stopReportingExit(Duration.ofSeconds(1), crashed.pid()))
			.as("the process that synced died and another one runs").isEmpty();
		assertThat(started).noneMatch(FakeProcess::isAlive);
	}

	private static FakeProcess add(List<FakeProcess> started, FakeProcess process) {
		started.add(process);
		return process;
	}

	/**
	 * A process that runs until told to exit or terminated.
	 */
	private static final class FakeProcess implements SupervisedProcess {

		private static long nextPid = 1000;

		private final long pid = nextPid++;

		private final Instant startedAt = Instant.now();

		private final CountDownLatch exited = new CountDownLatch(1);

		private final int exitOnTerminate;

		private volatile int exitCode;

		FakeProcess() {
			this(143);
		}

		FakeProcess(int exitOnTerminate) {
			this.exitOnTerminate = exitOnTerminate;
		}

		void exit(int code) {
			this.exitCode = code;
			this.exited.countDown();
		}

		@Override
		public long pid() {
			return this.pid;
		}

		@Override
		public Instant startedAt() {
			return this.startedAt;
		}

		@Override
		public boolean isAlive() {
			return this.exited.getCount() > 0;
		}

		@Override
		public int waitFor() throws InterruptedException {
			this.exited.await();
			return this.exitCode;
		}

		@Override
		public boolean terminate(Duration timeout) {
			exit(this.exitOnTerminate);
			return true;
		}

		@Override
		public void kill() {
			exit(137);
		}

		@Override
		public OptionalInt exitCode() {
			return isAlive() ? OptionalInt.empty() : OptionalInt.of(this.exitCode);
		}

	}

}
