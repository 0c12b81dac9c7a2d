package io.github.s3lite.internal.litestream;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.time.Duration;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.s3lite.internal.config.LitestreamOptions;
import io.github.s3lite.internal.config.ReplicaUrl;
import io.github.s3lite.internal.config.S3Connection;
import io.github.s3lite.internal.engine.ReplicaAccessException;
import io.github.s3lite.internal.engine.ReplicaFailure;
import io.github.s3lite.internal.engine.ReplicationEngine;
import io.github.s3lite.replication.Replication;
import io.github.s3lite.internal.replication.WalPosition;

/**
 * The litestream engine: the real litestream v0.3.x binary restores ({@code litestream restore}), checks
 * ({@code litestream snapshots}) and replicates ({@code litestream replicate}, supervised) the database.
 * litestream owns checkpoints, so every connection runs {@code PRAGMA wal_autocheckpoint=0}. The binary
 * is resolved on first use only. A database restored up to a known position continues its generation
 * ({@link ContinuedGeneration}) instead of starting a new one with a snapshot.
 */
public final class LitestreamEngine implements ReplicationEngine {

	private static final Logger logger = LoggerFactory.getLogger(LitestreamEngine.class);

	private static final Duration CHECK_TIMEOUT = Duration.ofSeconds(30);

	private final LitestreamBinaryResolver binaryResolver;

	private final S3Connection s3;

	private final LitestreamOptions options;

	/**
	 * Create the engine.
	 * @param binaryResolver finds the binary when it is first needed
	 * @param s3 the S3 connection
	 * @param options the litestream options
	 */
	public LitestreamEngine(LitestreamBinaryResolver binaryResolver, S3Connection s3, LitestreamOptions options) {
		this.binaryResolver = binaryResolver;
		this.s3 = s3;
		this.options = options;
	}

	@Override
	public String name() {
		return LitestreamReplication.ENGINE;
	}

	@Override
	public void releaseLeftovers(Path database) {
		StaleLitestreamProcesses.stop(database, this.options.shutdownTimeout());
	}

	@Override
	public List<Path> localState(Path database) {
		return List.of(metaDirectory(database), RestoredGeneration.fileOf(database));
	}

	/**
	 * Return litestream's meta directory of a database ({@code .<db>-litestream}, with the shadow WAL).
	 * @param database the database
	 * @return the directory, which need not exist
	 */
	static Path metaDirectory(Path database) {
		return database.resolveSibling("." + database.getFileName() + "-litestream");
	}

	@Override
	public void adoptRestored(Path target, WalPosition position) {
		try {
			RestoredGeneration.record(target, position);
		}
		catch (IOException ex) {
			logger.warn("Could not record where {} stands in generation {} ({}); litestream will start a new "
					+ "generation", target, position.generation(), ex.toString());
		}
	}

	@Override
	public boolean restore(ReplicaUrl replica, Path target, Duration timeout) {
		Path work = LitestreamConfigFile.createWorkDirectory();
		try {
			Path config = LitestreamConfigFile.writeRestore(work.resolve("restore.yml"), target, replica, this.s3);
			LitestreamCli.Result result = cli().run(timeout, "restore", "-config", config.toString(),
					"-if-replica-exists", "-o", target.toString(), target.toString());
			if (!result.succeeded()) {
				ReplicaFailure failure = result.timedOut() ? ReplicaFailure.UNREACHABLE
						: LitestreamFailureClassifier.classify(result.output());
				String detail = result.timedOut() ? "timed out after " + timeout.toSeconds()
						+ "s (s3lite.restore-timeout)" : "exit code " + result.exitCode();
				throw new ReplicaAccessException(LitestreamFailureClassifier.explain(failure) + "litestream restore "
						+ detail + ", output: " + LitestreamFailureClassifier.lastLines(result.output()), failure);
			}
			return Files.exists(target);
		}
		finally {
			deleteQuietly(List.of(work.resolve("restore.yml"), work));
		}
	}

	@Override
	public void checkReplica(Path database, ReplicaUrl replica) {
		if (replica.scheme() != ReplicaUrl.Scheme.S3) {
			return;
		}
		Path work = LitestreamConfigFile.createWorkDirectory();
		try {
			Path config = LitestreamConfigFile.writeRestore(work.resolve("check.yml"), database, replica, this.s3);
			LitestreamCli.Result result = cli().run(CHECK_TIMEOUT, "snapshots", "-config", config.toString(),
					database.toString());
			// 'litestream snapshots' exits 0 even when it cannot list the replica; it logs an ERROR line
			if (result.succeeded() && !result.output().contains("level=ERROR")) {
				return;
			}
			ReplicaFailure failure = result.timedOut() ? ReplicaFailure.UNREACHABLE
					: LitestreamFailureClassifier.classify(result.output());
			String output = "litestream output: " + LitestreamFailureClassifier.lastLines(result.output());
			if (failure == ReplicaFailure.MISSING_BUCKET || failure == ReplicaFailure.BAD_CREDENTIALS) {
				throw new ReplicaAccessException(output, failure);
			}
			logger.warn("Cannot use the replica {} (s3lite.backup-to): {} {} Starting anyway; replication retries "
					+ "until the replica is reachable.", replica, failure.describe(replica, "s3lite.backup-to"), output);
		}
		finally {
			deleteQuietly(List.of(work.resolve("check.yml"), work));
		}
	}

	@Override
	public Replication start(Path database, ReplicaUrl replica) {
		LitestreamBinary binary = this.binaryResolver.resolve();
		Connection walKeeper = RestoredGeneration.consume(database)
			.flatMap((restoredAt) -> ContinuedGeneration.prepare(database, restoredAt))
			.orElse(null);
		try {
			return LitestreamReplication.start(database, replica, this.s3, this.options, binary, walKeeper);
		}
		catch (RuntimeException ex) {
			ContinuedGeneration.closeQuietly(walKeeper);
			throw ex;
		}
	}

	@Override
	public List<String> connectionStatements() {
		return List.of("PRAGMA wal_autocheckpoint=0");
	}

	private LitestreamCli cli() {
		return new LitestreamCli(this.binaryResolver.resolve().path(), this.s3);
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

	@Override
	public String toString() {
		return "LitestreamEngine";
	}

}
