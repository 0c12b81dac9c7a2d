package io.github.s3lite.litestream;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stops litestream processes that a previous JVM left replicating the same database. litestream runs
 * in its own session (see {@link LitestreamProcess}), so when its JVM dies without stopping it
 * (SIGKILL, the OOM killer) it keeps running, and it keeps uploading what the dead JVM committed.
 * Two litestream processes on one database would both write its shadow WAL, so before s3lite restores
 * or starts replicating it sends such a leftover SIGTERM (litestream's own final upload) and kills it
 * after a timeout. A leftover is recognised by s3lite's command line
 * ({@code replicate -config FILE -no-expand-env}), by a parent that is no longer a JVM, and by its
 * configuration file naming the same database.
 */
public final class StaleLitestreamProcesses {

	private static final Logger logger = LoggerFactory.getLogger(StaleLitestreamProcesses.class);

	private StaleLitestreamProcesses() {
	}

	/**
	 * Stop every leftover litestream process replicating the database.
	 * @param database the absolute database path
	 * @param timeout how long each may take for its final upload before it is killed
	 * @return how many were stopped
	 */
	public static int stop(Path database, Duration timeout) {
		List<ProcessHandle> stale = find(database);
		for (ProcessHandle process : stale) {
			logger.warn("litestream (pid {}) is still replicating {} for a JVM that is gone; stopping it before "
					+ "this JVM restores or replicates the database", process.pid(), database);
			process.destroy();
			try {
				process.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
				logger.info("Stale litestream (pid {}) exited after its final upload", process.pid());
			}
			catch (TimeoutException | ExecutionException ex) {
				process.destroyForcibly();
				logger.warn("Stale litestream (pid {}) did not exit within {} ms and was killed", process.pid(),
						timeout.toMillis());
			}
			catch (InterruptedException ex) {
				process.destroyForcibly();
				Thread.currentThread().interrupt();
			}
		}
		return stale.size();
	}

	/**
	 * Find the leftover litestream processes replicating the database.
	 * @param database the absolute database path
	 * @return the processes
	 */
	static List<ProcessHandle> find(Path database) {
		String pathLine = "  - path: " + LitestreamConfigFile.quote(database.toString());
		return ProcessHandle.allProcesses()
			.filter((process) -> !isChildOfAJvm(process))
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

	private static boolean isChildOfAJvm(ProcessHandle process) {
		return process.parent()
			.flatMap((parent) -> parent.info().command())
			.map((command) -> Path.of(command).getFileName().toString().startsWith("java"))
			.orElse(false);
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
