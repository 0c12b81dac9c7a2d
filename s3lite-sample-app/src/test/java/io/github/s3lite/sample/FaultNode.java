package io.github.s3lite.sample;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.github.s3lite.test.FaultProxy;
import io.github.s3lite.test.S3ProxyServer;

/**
 * One instance of the fault harness ({@link FaultHarnessTests}): the notes app as a process with the
 * lease, talking to S3 through its own {@link FaultProxy}; it can be frozen (SIGSTOP of the JVM and its
 * litestream child, as a frozen container), thawed, and killed and started again on the same disk and
 * port.
 */
final class FaultNode implements AutoCloseable {

	private static final Duration HANG_GUARD = Duration.ofSeconds(120);

	private final String name;

	private final List<String> args;

	private final FaultProxy proxy;

	private final NotesHttp http;

	private volatile AppProcess process;

	private volatile List<ProcessHandle> frozen = List.of();

	private FaultNode(String name, List<String> args, FaultProxy proxy, NotesHttp http) {
		this.name = name;
		this.args = args;
		this.proxy = proxy;
		this.http = http;
	}

	/**
	 * Start an instance and wait until it serves.
	 * @param s3 the S3 server
	 * @param dir the directory of its disk
	 * @param name its name, also its lease owner
	 * @param replica the replica URL
	 * @param mode {@code litestream} or {@code native-durable}
	 * @return the instance
	 */
	static FaultNode start(S3ProxyServer s3, Path dir, String name, String replica, String mode) {
		FaultProxy proxy = FaultProxy.forward(s3.port());
		int port = NotesHttp.freePort();
		List<String> args = new ArrayList<>(List.of("--s3lite.path=" + dir.resolve(name + "/notes.sqlite3"),
				"--s3lite.restore-from=" + replica, "--s3lite.backup-to=" + replica,
				"--s3lite.s3.endpoint=" + proxy.endpoint(), "--s3lite.s3.access-key-id=" + S3ProxyServer.ACCESS_KEY,
				"--server.port=" + port, "--s3lite.lease.enabled=true", "--s3lite.lease.owner=" + name,
				"--s3lite.lease.ttl=" + FaultHarnessTests.TTL_SECONDS + "s", "--s3lite.shutdown-sync-timeout=5s",
				"--s3lite.litestream.shutdown-timeout=5s"));
		if (mode.startsWith("native")) {
			args.addAll(List.of("--s3lite.engine=native", "--s3lite.durable-commits=true"));
		}
		else {
			args.add("--s3lite.engine=litestream");
		}
		FaultNode node = new FaultNode(name, List.copyOf(args), proxy, new NotesHttp(port));
		node.launch();
		return node;
	}

	private void launch() {
		this.process = AppProcess.start(NotesApplication.class,
				Path.of("target", "fault-logs", this.name + "-" + System.nanoTime() + ".log"), List.of(), this.args);
		this.process.await((line) -> line.contains("Started NotesApplication"), HANG_GUARD);
	}

	String name() {
		return this.name;
	}

	NotesHttp http() {
		return this.http;
	}

	FaultProxy proxy() {
		return this.proxy;
	}

	AppProcess process() {
		return this.process;
	}

	/**
	 * Return the role its health reports, {@code none} when it does not answer.
	 * @return the role
	 */
	String role() {
		try {
			String health = this.http.get("/actuator/health").body();
			int at = health.indexOf("\"role\":\"");
			return (at < 0) ? "none" : health.substring(at + 8, health.indexOf('"', at + 8));
		}
		catch (RuntimeException ex) {
			return "none";
		}
	}

	/** SIGSTOP the JVM and its children. */
	void freeze() {
		List<ProcessHandle> all = new ArrayList<>();
		all.add(this.process.handle());
		all.addAll(this.process.handle().descendants().toList());
		this.frozen = all;
		signal("-STOP", all);
	}

	/** SIGCONT what {@link #freeze()} stopped. */
	void thaw() {
		List<ProcessHandle> stopped = this.frozen;
		this.frozen = List.of();
		signal("-CONT", stopped);
	}

	/** End every fault: thawed, and the proxy forwarding. */
	void heal() {
		thaw();
		this.proxy.set(FaultProxy.Fault.NONE);
	}

	/** SIGKILL the JVM and its children, as a container that dies, and start it again on the same disk. */
	void restartAfterKill() {
		List<ProcessHandle> children = this.process.handle().descendants().toList();
		this.process.kill();
		children.forEach(ProcessHandle::destroyForcibly);
		launch();
	}

	private static void signal(String signal, List<ProcessHandle> processes) {
		if (processes.isEmpty()) {
			return;
		}
		List<String> command = new ArrayList<>(List.of("kill", signal));
		processes.forEach((process) -> command.add(Long.toString(process.pid())));
		try {
			new ProcessBuilder(command).inheritIO().start().waitFor();
		}
		catch (IOException ex) {
			throw new IllegalStateException("Could not send " + signal, ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	@Override
	public void close() {
		thaw();
		this.process.close();
		this.proxy.close();
	}

}
