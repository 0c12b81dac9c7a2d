package io.github.s3lite.internal.litestream;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.OptionalInt;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import org.slf4j.Logger;

import io.github.s3lite.internal.config.S3Connection;

/**
 * One running {@code litestream replicate -config FILE -no-expand-env} child of the JVM. Its output is
 * parsed line by line, its secrets masked, and handed to a listener (which logs it:
 * {@link LitestreamOutputLog}).
 */
public final class LitestreamProcess implements SupervisedProcess {

	private static final Logger output = LitestreamOutputLog.output;

	/**
	 * {@code setsid}, when present, starts litestream in its own session, so that a signal sent to the
	 * JVM's process group (Ctrl-C in a terminal, {@code timeout}, {@code kill -- -PGID}) does not stop
	 * it before s3lite's final flush; s3lite stops it itself after the pool is closed. setsid execs in
	 * place (the JVM's child is not a group leader), so the pid is litestream's.
	 */
	private static final Path SETSID = findSetsid();

	private final Process process;

	private final Instant startedAt;

	private final Thread relay;

	private LitestreamProcess(Process process, Instant startedAt, Thread relay) {
		this.process = process;
		this.startedAt = startedAt;
		this.relay = relay;
	}

	/**
	 * Start {@code litestream replicate}.
	 * @param binary the litestream executable
	 * @param configFile the generated configuration
	 * @param s3 the S3 connection whose credentials go into the child's environment
	 * @param listener receives every parsed output line
	 * @return the running process
	 */
	public static LitestreamProcess start(Path binary, Path configFile, S3Connection s3,
			Consumer<LitestreamLogEvent> listener) {
		List<String> command = new ArrayList<>();
		if (SETSID != null) {
			command.add(SETSID.toString());
		}
		command.addAll(List.of(binary.toString(), "replicate", "-config", configFile.toString(), "-no-expand-env"));
		ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
			.redirectInput(ProcessBuilder.Redirect.PIPE);
		LitestreamEnvironment.apply(builder.environment(), s3);
		Process process;
		try {
			process = builder.start();
		}
		catch (IOException ex) {
			throw new LitestreamException("Could not start " + binary + " replicate: " + ex.getMessage(), ex);
		}
		SecretMask mask = LitestreamEnvironment.mask(s3);
		Thread relay = new Thread(() -> relay(process, mask, listener), "s3lite-litestream-output-" + process.pid());
		relay.setDaemon(true);
		relay.start();
		return new LitestreamProcess(process, Instant.now(), relay);
	}

	private static Path findSetsid() {
		for (String candidate : List.of("/usr/bin/setsid", "/bin/setsid")) {
			Path path = Path.of(candidate);
			if (Files.isExecutable(path)) {
				return path;
			}
		}
		return null;
	}

	private static void relay(Process process, SecretMask mask, Consumer<LitestreamLogEvent> listener) {
		try (BufferedReader reader = new BufferedReader(
				new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
			String line;
			while ((line = reader.readLine()) != null) {
				LitestreamLogEvent event = LitestreamLogEvent.parse(mask.apply(line));
				try {
					listener.accept(event);
				}
				catch (RuntimeException ex) {
					output.debug("Listener failed on litestream output", ex);
				}
			}
		}
		catch (IOException ex) {
			// the process has gone; its exit is handled by the supervisor
		}
	}

	/**
	 * Return the process ID.
	 * @return the pid
	 */
	@Override
	public long pid() {
		return this.process.pid();
	}

	/**
	 * Return when this process was started.
	 * @return the start time
	 */
	@Override
	public Instant startedAt() {
		return this.startedAt;
	}

	/**
	 * Return whether the process is running.
	 * @return whether it is alive
	 */
	@Override
	public boolean isAlive() {
		return this.process.isAlive();
	}

	/**
	 * Wait for the process to exit.
	 * @return its exit code
	 * @throws InterruptedException if interrupted
	 */
	@Override
	public int waitFor() throws InterruptedException {
		int exitCode = this.process.waitFor();
		this.relay.join(1000);
		return exitCode;
	}

	/**
	 * Send SIGTERM once, wait up to the timeout for litestream's final upload, then kill it.
	 * @param timeout the longest wait after SIGTERM
	 * @return {@code true} if it exited by itself, {@code false} if it had to be killed
	 */
	@Override
	public boolean terminate(Duration timeout) {
		if (!this.process.isAlive()) {
			return true;
		}
		// ProcessHandle.destroy() sends SIGTERM only; Process.destroy() would also close the output pipe,
		// and litestream, which logs while it shuts down, would die of SIGPIPE before its final upload
		this.process.toHandle().destroy();
		try {
			if (this.process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
				this.relay.join(1000);
				return true;
			}
			this.process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
			return false;
		}
		catch (InterruptedException ex) {
			this.process.destroyForcibly();
			Thread.currentThread().interrupt();
			return false;
		}
	}

	/**
	 * Kill the process at once (SIGKILL); safe for the replica's integrity.
	 */
	@Override
	public void kill() {
		this.process.destroyForcibly();
	}

	@Override
	public OptionalInt exitCode() {
		return this.process.isAlive() ? OptionalInt.empty() : OptionalInt.of(this.process.exitValue());
	}

}
