package io.github.s3lite.internal.startup;

import java.nio.file.Files;
import java.time.Clock;
import java.time.Instant;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.s3lite.internal.config.LeaseOptions;
import io.github.s3lite.internal.config.S3liteConfig;
import io.github.s3lite.internal.engine.ReplicationEngine;
import io.github.s3lite.internal.lease.LeaseRole;
import io.github.s3lite.internal.lease.LeaseTiming;
import io.github.s3lite.internal.lease.ReplicaLease;
import io.github.s3lite.internal.lifecycle.DatabaseLifecycle;
import io.github.s3lite.replication.Replication;
import io.github.s3lite.internal.replication.SwitchableReplication;
import io.github.s3lite.internal.restore.BackgroundRestore;
import io.github.s3lite.internal.restore.ContinuationRule;
import io.github.s3lite.internal.restore.ReplicaCheck;
import io.github.s3lite.internal.restore.RestoreResult;
import io.github.s3lite.internal.storage.ReplicaStore;
import io.github.s3lite.internal.storage.ReplicaStoreFactory;

/**
 * The start-up of an instance under the single-writer lease ({@link LeaseRole}), taken before the
 * restore so that what is restored is everything the previous writer replicated: the writer catches up
 * ({@link StartupCatchUp}), claims the replica and replicates; a follower restores, marks its file as not
 * the replica's tail and replicates only once it becomes the writer (its {@link SwitchableReplication}
 * starts idle). A fence halts replication without a final upload.
 */
public final class LeasedStartup extends DatabaseStartup {

	private static final Logger logger = LoggerFactory.getLogger(LeasedStartup.class);

	private final LeaseRole role;

	private volatile SwitchableReplication replication;

	/**
	 * Create the start-up.
	 * @param config the configuration
	 * @param engine the engine
	 * @param role the role, taken by {@link #takeLease}
	 * @param background the background restore, or {@code null}
	 */
	public LeasedStartup(S3liteConfig config, ReplicationEngine engine, LeaseRole role, BackgroundRestore background) {
		super(config, engine, role.lifecycle(), background);
		this.role = role;
	}

	/**
	 * Take the lease on {@code s3lite.backup-to} (or the role a background restore took before it
	 * restored); a replica that can never work (missing bucket, rejected credentials) fails start-up, one
	 * that is merely unreachable leaves this instance a follower that retries.
	 * @param config the configuration
	 * @param engine the engine, for the check of an unreadable replica
	 * @param background the background restore, or {@code null}
	 * @param startedAt when the application context began to refresh
	 * @return the role
	 */
	public static LeaseRole takeLease(S3liteConfig config, ReplicationEngine engine, BackgroundRestore background,
			Instant startedAt) {
		if (owns(background, config) && background.takesLease()) {
			// taken on the restore's thread, before it restored (the local file is missing, so the restore
			// reports an unusable replica)
			return (LeaseRole) background.takeLease();
		}
		LeaseRole role = takeLease(config, ReplicaStoreFactory.open(config.backupTo(), config.s3()), startedAt);
		boolean restoreReportsIt = config.restoreFrom() != null && !Files.exists(config.databasePath());
		if (role.leaseUnreadAtStartup() && !restoreReportsIt) {
			try {
				ReplicaCheck.check(engine, config.databasePath(), config.backupTo());
			}
			catch (RuntimeException ex) {
				role.close();
				throw ex;
			}
		}
		return role;
	}

	/**
	 * Take the lease on {@code s3lite.backup-to}, or start as a follower when another instance holds it.
	 * @param config the configuration
	 * @param store the store of {@code s3lite.backup-to}, owned by the role from then on
	 * @param startedAt when the application context began to refresh
	 * @return the role, with a lifecycle of its own
	 */
	public static LeaseRole takeLease(S3liteConfig config, ReplicaStore store, Instant startedAt) {
		LeaseOptions options = config.lease();
		Clock clock = Clock.systemUTC();
		ReplicaLease lease = new ReplicaLease(store, options.owner(), new LeaseTiming(options.ttl()), clock);
		return LeaseRole.start(lease, store, clock, startedAt,
				new DatabaseLifecycle(clock, lease.location(), options.owner()), options.requestHandover());
	}

	/**
	 * Return whether a background restore's database continues the replica's generation.
	 * @param lease the role the background restore took
	 * @return the rule
	 */
	static ContinuationRule continuation(AutoCloseable lease) {
		return (lease instanceof LeaseRole role && role.holdsLease()) ? role.writerMark().continuationRule()
				: ContinuationRule.ALWAYS;
	}

	@Override
	RestoreResult restoreInLine() {
		if (this.role.holdsLease()) {
			return new StartupCatchUp(this.role.writerMark(), this.engine, this.config).restore();
		}
		return restore(this.config, this.engine, ContinuationRule.ALWAYS);
	}

	@Override
	void opened(RestoreResult restored) {
		StartupCatchUp.mark(this.role, this.config.databasePath(), restored.outcome());
	}

	@Override
	Replication replicate(RestoreResult restored) {
		boolean writer = this.role.holdsLease();
		checkReplica(restored, !writer);
		// a follower does not replicate; it starts to when it becomes the writer (WriterTransitions)
		SwitchableReplication switchable = new SwitchableReplication(this.engine.name(),
				this.config.backupTo().toString(), writer ? this.engine.start(this.config.databasePath(),
						this.config.backupTo(), this.role.replicaWritePermit()) : null);
		// a fenced instance halts replication without a final upload, so that nothing it does can land in the
		// replica its successor may own by then; it starts again if the lease is re-taken
		this.lifecycle.whenFenced(() -> switchable.haltActive("this instance is fenced"));
		this.replication = switchable;
		if (writer) {
			this.role.startedWriting();
		}
		return switchable;
	}

	/**
	 * Return the replication started by {@link #startReplication}, which a change of role switches.
	 * @return the replication
	 * @throws IllegalStateException before replication started
	 */
	public SwitchableReplication replication() {
		SwitchableReplication started = this.replication;
		if (started == null) {
			throw new IllegalStateException("Replication has not started");
		}
		return started;
	}

	@Override
	public List<String> migrations() {
		if (this.role.holdsLease() || this.lifecycle.isWriter()) {
			return this.config.migrations();
		}
		if (!this.config.migrations().isEmpty()) {
			logger.info("s3lite.migrations deferred: this instance is a follower and runs them when it becomes the writer");
		}
		return List.of();
	}

	@Override
	public boolean changesRole() {
		return true;
	}

}
