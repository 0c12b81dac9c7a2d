package io.github.s3lite.restore;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.s3lite.config.ReplicaUrl;
import io.github.s3lite.config.S3Connection;
import io.github.s3lite.litestream.LitestreamBinary;
import io.github.s3lite.litestream.LitestreamCli;
import io.github.s3lite.litestream.LitestreamConfigFile;
import io.github.s3lite.litestream.ReplicaFailure;

/**
 * Checks at startup that the backup replica can be listed ({@code litestream snapshots}), so that a
 * missing bucket or rejected credentials fail startup instead of surfacing later as replication
 * errors. An unreachable endpoint only logs a warning: the app starts on its local file and
 * replication catches up when the endpoint returns.
 */
public final class ReplicaCheck {

	private static final Logger logger = LoggerFactory.getLogger(ReplicaCheck.class);

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	private ReplicaCheck() {
	}

	/**
	 * Check the replica.
	 * @param database the database the replica belongs to
	 * @param replica the backup replica
	 * @param s3 the S3 connection
	 * @param binary the litestream binary
	 * @throws RestoreException for a missing bucket or rejected credentials
	 */
	public static void check(Path database, ReplicaUrl replica, S3Connection s3, LitestreamBinary binary) {
		if (replica.scheme() != ReplicaUrl.Scheme.S3) {
			return;
		}
		Path work = LitestreamConfigFile.createWorkDirectory();
		Path config = LitestreamConfigFile.writeRestore(work.resolve("check.yml"), database, replica, s3);
		try {
			LitestreamCli.Result result = new LitestreamCli(binary.path(), s3).run(TIMEOUT, "snapshots", "-config",
					config.toString(), database.toString());
			// 'litestream snapshots' exits 0 even when it cannot list the replica; it logs an ERROR line
			if (result.succeeded() && !result.output().contains("level=ERROR")) {
				return;
			}
			ReplicaFailure failure = result.timedOut() ? ReplicaFailure.UNREACHABLE
					: ReplicaFailure.classify(result.output());
			String message = "Cannot use the replica " + replica + " (s3lite.backup-to): "
					+ failure.describe(replica, "s3lite.backup-to") + " litestream output: "
					+ ReplicaRestorer.lastLines(result.output());
			if (failure == ReplicaFailure.MISSING_BUCKET || failure == ReplicaFailure.BAD_CREDENTIALS) {
				throw new RestoreException(message, failure);
			}
			logger.warn("{} Starting anyway; replication retries until the replica is reachable.", message);
		}
		finally {
			for (Path file : List.of(config, work)) {
				try {
					Files.deleteIfExists(file);
				}
				catch (java.io.IOException ex) {
					logger.debug("Could not delete {}", file, ex);
				}
			}
		}
	}

}
