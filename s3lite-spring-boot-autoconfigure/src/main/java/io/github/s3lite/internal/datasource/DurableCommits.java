package io.github.s3lite.internal.datasource;

import java.time.Duration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.s3lite.internal.config.S3liteConfig;
import io.github.s3lite.internal.replication.DurableReplication;
import io.github.s3lite.replication.NotReplicatedException;
import io.github.s3lite.replication.Replication;

/**
 * What s3lite's connections do after a commit that wrote ({@code s3lite.durable-commits}): wait until
 * the replica holds it, bounded by {@code s3lite.durable-commit-timeout}, and refuse writes while the
 * replica is known to be unreachable. {@link #OFF} does nothing.
 */
public final class DurableCommits {

	/** Commits return as soon as SQLite committed; replication ships them in the background. */
	public static final DurableCommits OFF = new DurableCommits(null, Duration.ZERO);

	private static final Logger logger = LoggerFactory.getLogger(DurableCommits.class);

	private final DurableReplication replication;

	private final Duration timeout;

	private DurableCommits(DurableReplication replication, Duration timeout) {
		this.replication = replication;
		this.timeout = timeout;
	}

	/**
	 * Make commits wait for a replication.
	 * @param replication the replication
	 * @param timeout the longest a commit waits
	 * @return the policy
	 */
	public static DurableCommits awaiting(DurableReplication replication, Duration timeout) {
		return new DurableCommits(replication, timeout);
	}

	/**
	 * Return what {@code s3lite.durable-commits} asks of a replication.
	 * @param config the configuration
	 * @param replication the replication of the database
	 * @param engine the engine's name, for the error
	 * @return {@link #OFF}, or commits that wait for the replication
	 * @throws IllegalStateException when durable commits are on and the engine cannot wait for a commit
	 */
	public static DurableCommits of(S3liteConfig config, Replication replication, String engine) {
		if (!config.durableCommits()) {
			return OFF;
		}
		if (!(replication instanceof DurableReplication durable)) {
			throw new IllegalStateException("s3lite.durable-commits=true needs an engine that supports durable "
					+ "commits (the native engine); the " + engine + " engine does not");
		}
		logger.info("Durable commits: every commit that writes waits until {} holds it (at most {})",
				config.backupTo(), config.durableCommitTimeout());
		return awaiting(durable, config.durableCommitTimeout());
	}

	boolean enabled() {
		return this.replication != null;
	}

	boolean acceptingWrites() {
		return this.replication == null || this.replication.acceptingWrites();
	}

	void awaitReplicated() throws NotReplicatedException {
		this.replication.awaitReplicated(this.timeout);
	}

	NotReplicatedException refuseWrite() {
		return this.replication.refuseWrite();
	}

	@Override
	public String toString() {
		return enabled() ? "DurableCommits[timeout=" + this.timeout + "]" : "DurableCommits.OFF";
	}

}
