package io.github.s3lite.internal.role;

import java.time.Clock;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;

import io.github.s3lite.internal.config.S3liteConfig;
import io.github.s3lite.datasource.ReplicatingDataSource;
import io.github.s3lite.internal.engine.ReplicationEngine;
import io.github.s3lite.internal.follow.FollowFile;
import io.github.s3lite.internal.follow.FollowerRefresher;
import io.github.s3lite.internal.follow.FollowerStatus;
import io.github.s3lite.internal.lease.LeaseRole;
import io.github.s3lite.internal.replication.SwitchableReplication;

/**
 * Starts the lease's polling once every singleton exists, with the {@link WriterTransitions} of
 * s3lite's pool (the one that replicates through the database's replication): a follower asks for a hand-over and becomes the writer, a writer hands over on request.
 * With it starts the {@link FollowerRefresher}, which keeps the pool's readers up with the replica while
 * this instance follows, and whose follow file a promotion installs instead of restoring.
 * Without s3lite's pool (the application defines its own {@code DataSource}), this instance never
 * changes role, which it says. {@linkplain #close() Closed} before the pool, so no change of role starts
 * while the context closes.
 */
public final class RoleWatch implements SmartInitializingSingleton, AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(RoleWatch.class);

	private final S3liteConfig config;

	private final ObjectProvider<ReplicatingDataSource> pools;

	private final ReplicationEngine engine;

	private final Supplier<SwitchableReplication> replication;

	private final LeaseRole role;

	private final FollowFile.Factory followFiles;

	private final boolean installsFollowFile;

	private volatile WriterTransitions transitions;

	private volatile FollowerRefresher follower;

	/**
	 * Create the watch.
	 * @param config the configuration
	 * @param pools the application's s3lite pools, one of which replicates through {@code replication}
	 * @param engine the engine
	 * @param replication the replication of the database, once started
	 * @param role the role on the lease
	 * @param followFiles opens a follower's follow file
	 * @param installsFollowFile whether a promotion installs the follow file instead of restoring when it
	 * stands where the restore would end (the follow file is what the engine's own restore would build)
	 */
	public RoleWatch(S3liteConfig config, ObjectProvider<ReplicatingDataSource> pools, ReplicationEngine engine,
			Supplier<SwitchableReplication> replication, LeaseRole role, FollowFile.Factory followFiles,
			boolean installsFollowFile) {
		this.installsFollowFile = installsFollowFile;
		this.config = config;
		this.pools = pools;
		this.engine = engine;
		this.replication = replication;
		this.role = role;
		this.followFiles = followFiles;
	}

	@Override
	public void afterSingletonsInstantiated() {
		SwitchableReplication switchable = this.replication.get();
		ReplicatingDataSource pool = this.pools.orderedStream()
			.filter((candidate) -> candidate.getReplication() == switchable)
			.findFirst()
			.orElse(null);
		if (pool == null) {
			logger.warn("The lease is on but the DataSource is not s3lite's: this instance never changes role");
			return;
		}
		FollowerRefresher refresher = new FollowerRefresher(this.role.lifecycle(), pool, this.followFiles,
				this.config.lease().refreshInterval(), Clock.systemUTC());
		this.follower = refresher;
		WriterTransitions started = new WriterTransitions(this.config, pool, this.engine, switchable,
				this.role.replicaWritePermit(), this.installsFollowFile ? refresher : null);
		this.transitions = started;
		refresher.start();
		switchable.followedBy(refresher::refresh);
		this.role.watch(started);
	}

	/**
	 * Return what this instance's readers see while it follows, without I/O (for health and metrics).
	 * @return the status, {@code null} while not following and without s3lite's pool
	 */
	public FollowerStatus followerStatus() {
		FollowerRefresher refresher = this.follower;
		return (refresher != null) ? refresher.status() : null;
	}

	@Override
	public void close() {
		WriterTransitions started = this.transitions;
		if (started != null) {
			started.close();
		}
		FollowerRefresher refresher = this.follower;
		if (refresher != null) {
			refresher.close();
		}
	}

}
