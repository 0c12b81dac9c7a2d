package io.github.s3lite.internal.litestream;

import java.time.Duration;
import java.time.Instant;
import java.util.OptionalInt;

/**
 * A child process as {@link LitestreamSupervisor} sees it.
 */
interface SupervisedProcess {

	/**
	 * Return the process ID.
	 * @return the pid
	 */
	long pid();

	/**
	 * Return when the process was started.
	 * @return the start time
	 */
	Instant startedAt();

	/**
	 * Return whether the process runs.
	 * @return whether it is alive
	 */
	boolean isAlive();

	/**
	 * Wait for the process to exit.
	 * @return its exit code
	 * @throws InterruptedException if interrupted
	 */
	int waitFor() throws InterruptedException;

	/**
	 * Ask the process to exit, wait up to the timeout, then kill it.
	 * @param timeout the longest wait
	 * @return {@code true} if it exited by itself
	 */
	boolean terminate(Duration timeout);

	/**
	 * Kill the process at once (SIGKILL): it uploads nothing more.
	 */
	void kill();

	/**
	 * Return the exit code of the process once it exited.
	 * @return the exit code, empty while it runs or when unknown
	 */
	default OptionalInt exitCode() {
		return OptionalInt.empty();
	}

}
