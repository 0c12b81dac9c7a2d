package io.github.s3lite.sample;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

import io.github.s3lite.test.S3ProxyServer;

/**
 * A JVM started from the test classpath as a separate OS process, the way the app runs in
 * production: its own process, its own litestream child, killed or stopped by signals. Its output is
 * collected line by line and copied to a log file under {@code target/}.
 */
final class AppProcess implements AutoCloseable {

	private final Process process;

	private final List<String> lines = new ArrayList<>();

	private final Thread reader;

	private AppProcess(Process process, Path log) {
		this.process = process;
		this.reader = new Thread(() -> read(log), "app-output-" + process.pid());
		this.reader.setDaemon(true);
		this.reader.start();
	}

	/**
	 * Start a main class with the given arguments. The S3 secret key travels in the environment
	 * ({@code S3LITE_S3_SECRETACCESSKEY}, bound by Spring Boot to s3lite.s3.secret-access-key), never in
	 * the arguments.
	 * @param mainClass the main class
	 * @param log where to copy the output
	 * @param systemProperties {@code -D} options
	 * @param args the program arguments
	 * @return the running process
	 */
	static AppProcess start(Class<?> mainClass, Path log, List<String> systemProperties, List<String> args) {
		List<String> command = new ArrayList<>();
		command.add(ProcessHandle.current().info().command().orElse("java"));
		command.addAll(List.of("-Xmx256m", "-XX:TieredStopAtLevel=1", "-XX:+UseSerialGC", "-cp",
				System.getProperty("java.class.path")));
		command.addAll(systemProperties);
		command.add(mainClass.getName());
		command.addAll(args);
		ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
		Map<String, String> environment = builder.environment();
		environment.keySet().removeIf((name) -> name.startsWith("AWS_") || name.startsWith("S3LITE_"));
		environment.put("S3LITE_S3_SECRETACCESSKEY", S3ProxyServer.SECRET_KEY);
		try {
			Files.createDirectories(log.getParent());
			return new AppProcess(builder.start(), log);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Arguments that point the app at a database and an S3 replica.
	 * @param database the database file
	 * @param s3 the S3 server
	 * @param replica the replica URL
	 * @return the arguments
	 */
	static List<String> s3Args(Path database, S3ProxyServer s3, String replica) {
		return List.of("--s3lite.path=" + database, "--s3lite.restore-from=" + replica, "--s3lite.backup-to=" + replica,
				"--s3lite.s3.endpoint=" + s3.endpoint(), "--s3lite.s3.access-key-id=" + S3ProxyServer.ACCESS_KEY);
	}

	private void read(Path log) {
		try (BufferedReader in = new BufferedReader(
				new InputStreamReader(this.process.getInputStream(), StandardCharsets.UTF_8))) {
			String line;
			while ((line = in.readLine()) != null) {
				synchronized (this.lines) {
					this.lines.add(line);
					this.lines.notifyAll();
				}
				Files.writeString(log, line + "\n", StandardOpenOption.CREATE, StandardOpenOption.APPEND);
			}
		}
		catch (IOException ex) {
			// the process is gone
		}
		finally {
			synchronized (this.lines) {
				this.lines.add(null);
				this.lines.notifyAll();
			}
		}
	}

	/**
	 * Wait for a line of output.
	 * @param predicate what the line must match
	 * @param timeout a hang guard, not a performance assertion
	 * @return the line
	 */
	String await(Predicate<String> predicate, Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		int seen = 0;
		synchronized (this.lines) {
			while (true) {
				for (; seen < this.lines.size(); seen++) {
					String line = this.lines.get(seen);
					if (line == null) {
						throw new IllegalStateException("The app exited before printing the expected line; output:\n"
								+ output());
					}
					if (predicate.test(line)) {
						return line;
					}
				}
				long remaining = deadline - System.nanoTime();
				if (remaining <= 0) {
					throw new IllegalStateException("Timed out waiting for a line; output:\n" + output());
				}
				try {
					this.lines.wait(Math.max(1, remaining / 1_000_000));
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					throw new IllegalStateException(ex);
				}
			}
		}
	}

	/**
	 * Return the output so far.
	 * @return the lines, joined
	 */
	String output() {
		synchronized (this.lines) {
			StringBuilder output = new StringBuilder();
			for (String line : this.lines) {
				if (line != null) {
					output.append(line).append('\n');
				}
			}
			return output.toString();
		}
	}

	/**
	 * Return the lines printed so far.
	 * @return a copy of the lines
	 */
	List<String> lines() {
		synchronized (this.lines) {
			return this.lines.stream().filter((line) -> line != null).toList();
		}
	}

	long pid() {
		return this.process.pid();
	}

	ProcessHandle handle() {
		return this.process.toHandle();
	}

	/**
	 * Return the litestream {@code replicate} children of the app.
	 * @return the child processes
	 */
	List<ProcessHandle> litestream() {
		return this.process.toHandle()
			.children()
			.filter((child) -> child.info().arguments().map((args) -> args.length > 0 && "replicate".equals(args[0]))
				.orElse(false))
			.toList();
	}

	/**
	 * Return whether a process runs: a dead orphan stays a zombie until init reaps it, which takes
	 * seconds here, and {@link ProcessHandle#isAlive()} reports zombies alive.
	 * @param process the process
	 * @return whether it runs
	 */
	static boolean running(ProcessHandle process) {
		try {
			String stat = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"));
			return process.isAlive() && stat.charAt(stat.lastIndexOf(')') + 2) != 'Z';
		}
		catch (IOException ex) {
			return false;
		}
	}

	/**
	 * SIGKILL the JVM.
	 */
	void kill() {
		this.process.destroyForcibly();
		waitForExit(Duration.ofSeconds(30));
	}

	/**
	 * SIGTERM the JVM and wait for it to exit.
	 * @param timeout a hang guard
	 * @return the exit code
	 */
	int terminate(Duration timeout) {
		// not Process.destroy(): it would close the output pipe and lose what the app logs while stopping
		this.process.toHandle().destroy();
		return waitForExit(timeout);
	}

	int waitForExit(Duration timeout) {
		try {
			if (!this.process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
				this.process.destroyForcibly();
				throw new IllegalStateException("The app did not exit within " + timeout + "; output:\n" + output());
			}
			this.reader.join(5000);
			return this.process.exitValue();
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	@Override
	public void close() {
		List<ProcessHandle> children = this.process.toHandle().descendants().toList();
		if (this.process.isAlive()) {
			this.process.destroyForcibly();
		}
		children.forEach(ProcessHandle::destroyForcibly);
	}

}
