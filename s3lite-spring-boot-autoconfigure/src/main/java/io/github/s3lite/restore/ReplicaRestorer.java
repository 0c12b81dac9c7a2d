package io.github.s3lite.restore;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.s3lite.config.ReplicaUrl;
import io.github.s3lite.config.S3Connection;
import io.github.s3lite.litestream.LitestreamBinary;
import io.github.s3lite.litestream.LitestreamCli;
import io.github.s3lite.litestream.LitestreamConfigFile;
import io.github.s3lite.litestream.ReplicaFailure;

/**
 * Restores the local database from its replica with {@code litestream restore}, with the semantics of
 * the Go original: only when the local file is missing; an empty replica is a logged no-op; an
 * existing local file is never touched. The restore writes to a temporary file next to the database
 * and moves it into place only when complete, so a failure leaves nothing at the database path.
 */
public final class ReplicaRestorer {

	private static final Logger logger = LoggerFactory.getLogger(ReplicaRestorer.class);

	private static final int OUTPUT_LINES = 6;

	private final Path database;

	private final ReplicaUrl replica;

	private final S3Connection s3;

	private final LitestreamBinary binary;

	private final Duration timeout;

	private final String property;

	/**
	 * Create a restorer for the startup restore from {@code s3lite.restore-from}.
	 * @param database the local database file
	 * @param replica the replica to restore from
	 * @param s3 the S3 connection
	 * @param binary the litestream binary
	 * @param timeout the longest time the restore may take
	 */
	public ReplicaRestorer(Path database, ReplicaUrl replica, S3Connection s3, LitestreamBinary binary,
			Duration timeout) {
		this(database, replica, s3, binary, timeout, "s3lite.restore-from");
	}

	/**
	 * Create a restorer.
	 * @param database the file to restore to
	 * @param replica the replica to restore from
	 * @param s3 the S3 connection
	 * @param binary the litestream binary
	 * @param timeout the longest time the restore may take
	 * @param property the property naming the replica, for error messages
	 */
	public ReplicaRestorer(Path database, ReplicaUrl replica, S3Connection s3, LitestreamBinary binary,
			Duration timeout, String property) {
		this.property = property;
		this.database = database;
		this.replica = replica;
		this.s3 = s3;
		this.binary = binary;
		this.timeout = timeout;
	}

	/**
	 * Restore the database if the local file is missing.
	 * @return what happened
	 * @throws RestoreException if the replica cannot be read; the local path is left empty
	 */
	public RestoreResult restore() {
		if (Files.exists(this.database)) {
			logger.info("Local database {} exists; not restoring from {}", this.database, this.replica);
			return new RestoreResult(RestoreResult.Outcome.LOCAL_FILE_EXISTS, this.replica.toString(), 0,
					Duration.ZERO);
		}
		long started = System.nanoTime();
		logger.info("Restoring {} from {}", this.database, this.replica);
		Path staging = this.database.resolveSibling("." + this.database.getFileName() + ".s3lite-restore");
		Path work = LitestreamConfigFile.createWorkDirectory();
		try {
			DatabaseDirectory.prepare(this.database);
			removeStaleState();
			deleteQuietly(leftovers(staging));
			Path config = LitestreamConfigFile.writeRestore(work.resolve("restore.yml"), this.database, this.replica,
					this.s3);
			LitestreamCli.Result result = new LitestreamCli(this.binary.path(), this.s3).run(this.timeout, "restore",
					"-config", config.toString(), "-if-replica-exists", "-o", staging.toString(),
					this.database.toString());
			if (!result.succeeded()) {
				throw failure(result);
			}
			Duration elapsed = Duration.ofNanos(System.nanoTime() - started);
			if (!Files.exists(staging)) {
				logger.info("Replica {} is empty; starting a new database at {}", this.replica, this.database);
				return new RestoreResult(RestoreResult.Outcome.REPLICA_EMPTY, this.replica.toString(), 0, elapsed);
			}
			if (Files.exists(suffixed(staging, "-wal")) && Files.size(suffixed(staging, "-wal")) > 0) {
				throw new RestoreException("litestream restore left a WAL next to " + staging
						+ "; refusing to install an incomplete database", ReplicaFailure.OTHER);
			}
			long bytes = Files.size(staging);
			move(staging, this.database);
			logger.info("Restored {} bytes from {} in {} ms", bytes, this.replica, elapsed.toMillis());
			return new RestoreResult(RestoreResult.Outcome.RESTORED, this.replica.toString(), bytes, elapsed);
		}
		catch (IOException ex) {
			throw new RestoreException("Could not restore " + this.database + " from " + this.replica + ": " + ex, ex);
		}
		finally {
			deleteQuietly(leftovers(staging));
			deleteQuietly(List.of(work.resolve("restore.yml"), work));
		}
	}

	private RestoreException failure(LitestreamCli.Result result) {
		ReplicaFailure failure = result.timedOut() ? ReplicaFailure.UNREACHABLE
				: ReplicaFailure.classify(result.output());
		String detail = result.timedOut() ? "timed out after " + this.timeout.toSeconds()
				+ "s (s3lite.litestream.restore-timeout)" : "exit code " + result.exitCode();
		return new RestoreException("Could not restore " + this.database + " from " + this.replica + " ("
				+ this.property + "): " + failure.describe(this.replica, this.property) + " litestream restore "
				+ detail + ", output: " + lastLines(result.output()), failure);
	}

	static String lastLines(String output) {
		List<String> lines = output.strip().lines().toList();
		return String.join(" | ", lines.subList(Math.max(0, lines.size() - OUTPUT_LINES), lines.size()));
	}

	private static List<Path> leftovers(Path staging) {
		return List.of(staging, suffixed(staging, ".tmp"), suffixed(staging, ".tmp-wal"),
				suffixed(staging, ".tmp-shm"), suffixed(staging, "-wal"), suffixed(staging, "-shm"));
	}

	/**
	 * Remove what a previous life of the missing database left next to it: its {@code -wal} and
	 * {@code -shm} files, which SQLite would apply to the restored file, and litestream's
	 * {@code .<file>-litestream/} directory, whose shadow WAL no longer matches and would make
	 * litestream start with a warning.
	 */
	private void removeStaleState() throws IOException {
		List<Path> stale = List.of(suffixed(this.database, "-wal"), suffixed(this.database, "-shm"),
				this.database.resolveSibling("." + this.database.getFileName() + "-litestream"));
		List<Path> removed = new ArrayList<>();
		for (Path path : stale) {
			if (Files.exists(path, LinkOption.NOFOLLOW_LINKS)) {
				deleteRecursively(path);
				removed.add(path);
			}
		}
		if (!removed.isEmpty()) {
			logger.info("Removed stale state of the missing database {}: {}", this.database,
					removed.stream().map(Path::toString).collect(Collectors.joining(", ")));
		}
	}

	private static void deleteRecursively(Path path) throws IOException {
		if (Files.isDirectory(path, LinkOption.NOFOLLOW_LINKS)) {
			try (Stream<Path> children = Files.list(path)) {
				for (Path child : (Iterable<Path>) children::iterator) {
					deleteRecursively(child);
				}
			}
		}
		Files.deleteIfExists(path);
	}

	private static void deleteQuietly(List<Path> files) {
		for (Path file : files) {
			try {
				Files.deleteIfExists(file);
			}
			catch (IOException ex) {
				logger.debug("Could not delete {}", file, ex);
			}
		}
	}

	private static void move(Path source, Path target) throws IOException {
		try {
			Files.move(source, target, StandardCopyOption.ATOMIC_MOVE);
		}
		catch (AtomicMoveNotSupportedException ex) {
			Files.move(source, target);
		}
	}

	static Path suffixed(Path file, String suffix) {
		return file.resolveSibling(file.getFileName() + suffix);
	}

}
