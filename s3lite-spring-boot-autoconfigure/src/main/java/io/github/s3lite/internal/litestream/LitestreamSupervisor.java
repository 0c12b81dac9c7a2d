package io.github.s3lite.internal.litestream;

import java.time.Duration;
import java.time.Instant;
import java.util.OptionalInt;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a litestream process running: when it exits while not being stopped it is started again after
 * a back-off that doubles from one second up to a cap, and resets once a process has stayed up for a
 * minute. Every restart is counted and logged at WARN. Starting a process and stopping the supervisor
 * exclude each other, so a restart racing {@link #stop(Duration)} either happens before it (and stop
 * terminates the new process) or not at all: no process outlives the supervisor.
 */
final class LitestreamSupervisor {

	private static final Logger logger = LoggerFactory.getLogger(LitestreamSupervisor.class);

	private static final Duration STABLE = Duration.ofMinutes(1);

	private final Supplier<? extends SupervisedProcess> starter;

	private final Duration maxBackoff;

	private final Object monitor = new Object();

	private volatile SupervisedProcess current;

	private volatile boolean stopping;

	private volatile int restartCount;

	private volatile String lastExit;

	private volatile boolean jvmShuttingDown;

	private Thread thread;

	private Thread shutdownMarker;

	LitestreamSupervisor(Supplier<? extends SupervisedProcess> starter, Duration maxBackoff) {
		this.starter = starter;
		this.maxBackoff = maxBackoff;
	}

	/**
	 * Start the first process in the caller's thread, so that a failure to start fails the caller,
	 * then supervise it in the background.
	 */
	void start() {
		synchronized (this.monitor) {
			this.current = this.starter.get();
		}
		this.shutdownMarker = new Thread(() -> this.jvmShuttingDown = true, "s3lite-shutdown-marker");
		Runtime.getRuntime().addShutdownHook(this.shutdownMarker);
		this.thread = new Thread(this::supervise, "s3lite-litestream-supervisor");
		this.thread.setDaemon(true);
		this.thread.start();
	}

	private void supervise() {
		int consecutiveFailures = 0;
		while (!this.stopping) {
			SupervisedProcess process = this.current;
			int exitCode;
			try {
				exitCode = process.waitFor();
			}
			catch (InterruptedException ex) {
				if (this.stopping) {
					return;
				}
				continue;
			}
			if (this.stopping) {
				return;
			}
			if (this.jvmShuttingDown) {
				logger.info("litestream (pid {}) exited with code {} during JVM shutdown; not restarting it",
						process.pid(), exitCode);
				return;
			}
			boolean wasStable = Duration.between(process.startedAt(), Instant.now()).compareTo(STABLE) > 0;
			consecutiveFailures = wasStable ? 0 : consecutiveFailures + 1;
			Duration backoff = backoff(consecutiveFailures);
			this.restartCount++;
			this.lastExit = "litestream (pid " + process.pid() + ") exited unexpectedly with code " + exitCode;
			logger.warn("{}; restart #{} in {} ms", this.lastExit, this.restartCount, backoff.toMillis());
			if (!pause(backoff) || !restart()) {
				return;
			}
		}
	}

	/**
	 * Start a new process unless stopping; holds the monitor so that {@link #stop(Duration)} sees
	 * either no new process or the new one.
	 * @return whether the supervisor goes on
	 */
	private boolean restart() {
		synchronized (this.monitor) {
			if (this.stopping) {
				return false;
			}
			try {
				this.current = this.starter.get();
				logger.info("litestream restarted (pid {})", this.current.pid());
			}
			catch (RuntimeException ex) {
				logger.warn("Could not restart litestream: {}", ex.getMessage());
			}
			return true;
		}
	}

	private Duration backoff(int consecutiveFailures) {
		long seconds = 1L << Math.min(Math.max(consecutiveFailures - 1, 0), 20);
		Duration backoff = Duration.ofSeconds(seconds);
		return (backoff.compareTo(this.maxBackoff) > 0) ? this.maxBackoff : backoff;
	}

	private boolean pause(Duration duration) {
		synchronized (this.monitor) {
			long deadline = System.nanoTime() + duration.toNanos();
			while (!this.stopping) {
				long remaining = deadline - System.nanoTime();
				if (remaining <= 0) {
					return true;
				}
				try {
					this.monitor.wait(Math.max(1, remaining / 1_000_000));
				}
				catch (InterruptedException ex) {
					return !this.stopping;
				}
			}
			return false;
		}
	}

	/**
	 * Stop supervising, send the running process SIGTERM and kill it after the timeout.
	 * @param timeout the longest wait for the process to exit by itself
	 * @return {@code true} if it exited by itself
	 */
	boolean stop(Duration timeout) {
		SupervisedProcess process = stopSupervising();
		boolean graceful = (process == null) || process.terminate(timeout);
		stopped();
		return graceful;
	}

	/**
	 * Stop as {@link #stop(Duration)} does, and return the exit code of the process when it is the one
	 * expected: the one with that pid, running when it was sent SIGTERM, and exited by itself.
	 * @param timeout the longest wait for the process to exit by itself
	 * @param pid the pid of the process expected to be running
	 * @return its exit code, empty when another process ran, none ran, or it had to be killed
	 */
	OptionalInt stopReportingExit(Duration timeout, long pid) {
		SupervisedProcess process = stopSupervising();
		boolean expected = process != null && process.pid() == pid && process.isAlive();
		boolean graceful = (process == null) || process.terminate(timeout);
		stopped();
		return (expected && graceful) ? process.exitCode() : OptionalInt.empty();
	}

	/** Stop restarting; return the process to stop, {@code null} when none or stopped already. */
	private SupervisedProcess stopSupervising() {
		synchronized (this.monitor) {
			if (this.stopping) {
				return null;
			}
			this.stopping = true;
			this.monitor.notifyAll();
			return this.current;
		}
	}

	private void stopped() {
		if (this.thread != null) {
			this.thread.interrupt();
		}
		removeShutdownMarker();
	}

	/**
	 * Stop supervising and kill the running process at once (SIGKILL), so that it uploads nothing more:
	 * this instance was fenced.
	 */
	void halt() {
		SupervisedProcess process;
		synchronized (this.monitor) {
			if (this.stopping) {
				return;
			}
			this.stopping = true;
			this.monitor.notifyAll();
			process = this.current;
		}
		if (process != null) {
			process.kill();
		}
		if (this.thread != null) {
			this.thread.interrupt();
		}
		removeShutdownMarker();
	}

	private void removeShutdownMarker() {
		if (this.shutdownMarker != null && !this.jvmShuttingDown) {
			try {
				Runtime.getRuntime().removeShutdownHook(this.shutdownMarker);
			}
			catch (IllegalStateException ex) {
				// the JVM is shutting down already
			}
		}
	}

	SupervisedProcess current() {
		return this.current;
	}

	boolean isRunning() {
		SupervisedProcess process = this.current;
		return !this.stopping && process != null && process.isAlive();
	}

	int restartCount() {
		return this.restartCount;
	}

	String lastExit() {
		return this.lastExit;
	}

}
