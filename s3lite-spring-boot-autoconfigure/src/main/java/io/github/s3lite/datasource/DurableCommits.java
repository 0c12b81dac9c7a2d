package io.github.s3lite.datasource;

import java.time.Duration;

import io.github.s3lite.replication.DurableReplication;
import io.github.s3lite.replication.NotReplicatedException;

/**
 * What s3lite's connections do after a commit that wrote ({@code s3lite.durable-commits}): wait until
 * the replica holds it, bounded by {@code s3lite.durable-commit-timeout}, and refuse writes while the
 * replica is known to be unreachable. {@link #OFF} does nothing.
 */
public final class DurableCommits {

	/** Commits return as soon as SQLite committed; replication ships them in the background. */
	public static final DurableCommits OFF = new DurableCommits(null, Duration.ZERO);

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
