package io.github.s3lite.internal.litestream;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import io.github.s3lite.internal.config.S3Connection;

/**
 * Runs a short-lived litestream command ({@code version}, {@code restore}) and captures its output on
 * a dedicated daemon thread (never a shared pool, which a busy application can saturate). Credentials
 * go only into the child's environment; the output is returned with them masked. Output that cannot
 * be read is reported as a {@link LitestreamException} with its cause, never dropped.
 */
public final class LitestreamCli {

	private static final Duration OUTPUT_DRAIN_TIMEOUT = Duration.ofSeconds(5);

	private final Path binary;

	private final S3Connection s3;

	private final SecretMask mask;


	/**
	 * Create a runner.
	 * @param binary the litestream executable
	 * @param s3 the S3 connection whose credentials go into the child's environment
	 */
	public LitestreamCli(Path binary, S3Connection s3) {
		this.binary = binary;
		this.s3 = s3;
		this.mask = LitestreamEnvironment.mask(s3);
	}

	/**
	 * Run litestream with the given arguments.
	 * @param timeout the longest time to wait; the process is killed after it
	 * @param arguments the arguments (never credentials)
	 * @return the result
	 */
	public Result run(Duration timeout, String... arguments) {
		List<String> command = new ArrayList<>();
		command.add(this.binary.toString());
		command.addAll(List.of(arguments));
		ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
		LitestreamEnvironment.apply(builder.environment(), this.s3);
		Process process;
		try {
			process = builder.start();
		}
		catch (IOException ex) {
			throw new LitestreamException("Could not run " + this.binary + ": " + ex.getMessage()
					+ ". Check that it is a litestream executable for this platform.", ex);
		}
		try {
			process.getOutputStream().close();
		}
		catch (IOException ex) {
			// nothing to write to it anyway
		}
		ProcessOutput output = ProcessOutput.read(process.getInputStream(),
				"s3lite-litestream-" + arguments[0] + "-output");
		try {
			if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
				process.destroyForcibly().waitFor(OUTPUT_DRAIN_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS);
				return new Result(-1, true, this.mask.apply(output.soFar()));
			}
			int exitCode = process.exitValue();
			try {
				return new Result(exitCode, false, this.mask.apply(output.await(OUTPUT_DRAIN_TIMEOUT)));
			}
			catch (ExecutionException | TimeoutException ex) {
				Throwable cause = (ex instanceof ExecutionException) ? ex.getCause() : ex;
				throw new LitestreamException("litestream " + arguments[0] + " exited with code " + exitCode
						+ " but its output could not be read" + ((ex instanceof TimeoutException)
								? " (still open " + OUTPUT_DRAIN_TIMEOUT.toMillis()
										+ " ms after the exit: a process it started holds it)"
								: ": " + cause)
						+ "; output so far: " + this.mask.apply(output.soFar()), cause);
			}
		}
		catch (InterruptedException ex) {
			process.destroyForcibly();
			Thread.currentThread().interrupt();
			throw new LitestreamException("Interrupted while running litestream " + arguments[0], ex);
		}
	}

	/**
	 * Outcome of a litestream command.
	 *
	 * @param exitCode the exit code, -1 when it timed out
	 * @param timedOut whether the command was killed after the timeout
	 * @param output standard output and error, secrets masked
	 */
	public record Result(int exitCode, boolean timedOut, String output) {

		/**
		 * Return whether the command succeeded.
		 * @return whether it exited 0
		 */
		public boolean succeeded() {
			return !this.timedOut && this.exitCode == 0;
		}

	}

}
