package io.github.s3lite.internal.litestream;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stops litestream processes that a previous JVM left replicating the same database. litestream runs
 * in its own session (see {@link LitestreamProcess}), so when its JVM dies without stopping it
 * (SIGKILL, the OOM killer) it keeps running: idle, until it next writes a log line to the dead JVM's
 * pipe and dies of SIGPIPE. Meanwhile it still syncs and checkpoints the database, and a second
 * litestream on the same database would write the same shadow WAL, so before s3lite restores or
 * starts replicating it sends such a leftover SIGTERM and kills it after a timeout. A leftover is
 * recognised by s3lite's command line ({@code replicate -config FILE -no-expand-env}), by a parent
 * that is no longer a JVM, and by its configuration file naming the same database; one whose
 * configuration file was deleted is not recognised.
 */
public final class StaleLitestreamProcesses {

	private static final Logger logger = LoggerFactory.getLogger(StaleLitestreamProcesses.class);

	private StaleLitestreamProcesses() {
	}

	/**
	 * Stop every leftover litestream process replicating the database. Call it only while holding the
	 * database's lock.
	 * @param database the absolute database path
	 * @param timeout how long each may take for its final upload before it is killed
	 * @return how many were stopped
	 */
	public static int stop(Path database, Duration timeout) {
		List<ProcessHandle> stale = find(database);
		for (ProcessHandle process : stale) {
			logger.warn("litestream (pid {}) is still replicating {} for an s3lite instance that is gone; stopping "
					+ "it before this instance restores or replicates the database", process.pid(), database);
			process.destroy();
			if (exited(process, timeout)) {
				logger.info("Stale litestream (pid {}) exited", process.pid());
			}
			else {
				process.destroyForcibly();
				logger.warn("Stale litestream (pid {}) did not exit within {} ms and was killed", process.pid(),
						timeout.toMillis());
			}
		}
		return stale.size();
	}

	private static boolean exited(ProcessHandle process, Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (running(process)) {
			if (System.nanoTime() > deadline) {
				return false;
			}
			try {
				Thread.sleep(20);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return false;
			}
		}
		return true;
	}

	/**
	 * Return whether a process runs. An orphan that exited stays a zombie until its new parent (init)
	 * reaps it, which can take seconds, and {@link ProcessHandle#isAlive()} still reports it alive.
	 * @param process the process
	 * @return whether it runs
	 */
	static boolean running(ProcessHandle process) {
		if (!process.isAlive()) {
			return false;
		}
		try {
			String stat = Files.readString(Path.of("/proc", Long.toString(process.pid()), "stat"));
			return stat.charAt(stat.lastIndexOf(')') + 2) != 'Z';
		}
		catch (IOException | RuntimeException ex) {
			return process.isAlive();
		}
	}

	/**
	 * Find the leftover litestream processes replicating the database.
	 * @param database the absolute database path
	 * @return the processes
	 */
	static List<ProcessHandle> find(Path database) {
		String pathLine = "  - path: " + LitestreamConfigFile.quote(database.toString());
		return ProcessHandle.allProcesses()
			.filter((process) -> configFile(process).map((config) -> names(config, pathLine)).orElse(false))
			.toList();
	}

	private static Optional<Path> configFile(ProcessHandle process) {
		String[] arguments = process.info().arguments().orElse(new String[0]);
		if (arguments.length == 4 && "replicate".equals(arguments[0]) && "-config".equals(arguments[1])
				&& "-no-expand-env".equals(arguments[3])) {
			return Optional.of(Path.of(arguments[2]));
		}
		return Optional.empty();
	}

	private static boolean names(Path config, String pathLine) {
		try {
			return Files.readAllLines(config).contains(pathLine);
		}
		catch (IOException | RuntimeException ex) {
			return false;
		}
	}

}
