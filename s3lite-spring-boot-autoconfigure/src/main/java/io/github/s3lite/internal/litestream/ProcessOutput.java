package io.github.s3lite.internal.litestream;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.FutureTask;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Reads a child process's output to its end on a dedicated, named daemon thread, so that reading
 * never waits for a shared pool. What was read so far stays available after a failure. The thread
 * ends when the output does (when the last process holding the pipe exits).
 */
final class ProcessOutput {

	private final InputStream in;

	private final ByteArrayOutputStream buffer = new ByteArrayOutputStream();

	private final FutureTask<String> task;

	private ProcessOutput(InputStream in) {
		this.in = in;
		this.task = new FutureTask<>(this::readToEnd);
	}

	/**
	 * Start reading a stream.
	 * @param in the process's output
	 * @param threadName the name of the reading thread
	 * @return the output being read
	 */
	static ProcessOutput read(InputStream in, String threadName) {
		ProcessOutput output = new ProcessOutput(in);
		Thread thread = new Thread(output.task, threadName);
		thread.setDaemon(true);
		thread.start();
		return output;
	}

	private String readToEnd() throws IOException {
		byte[] chunk = new byte[8192];
		int read;
		while ((read = this.in.read(chunk)) != -1) {
			synchronized (this.buffer) {
				this.buffer.write(chunk, 0, read);
			}
		}
		return soFar();
	}

	/**
	 * Wait for the end of the output.
	 * @param timeout the longest time to wait
	 * @return the whole output
	 * @throws ExecutionException if reading failed (its cause)
	 * @throws TimeoutException if the output did not end in time
	 * @throws InterruptedException if interrupted while waiting
	 */
	String await(Duration timeout) throws ExecutionException, TimeoutException, InterruptedException {
		return this.task.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
	}

	/**
	 * Return what was read so far.
	 * @return the output read so far
	 */
	String soFar() {
		synchronized (this.buffer) {
			return this.buffer.toString(StandardCharsets.UTF_8);
		}
	}

}
