package io.github.s3lite.internal.role;

import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.SmartInitializingSingleton;

import io.github.s3lite.internal.config.S3liteConfig;
import io.github.s3lite.datasource.ReplicatingDataSource;
import io.github.s3lite.internal.engine.ReplicationEngine;
import io.github.s3lite.internal.lease.LeaseRole;
import io.github.s3lite.internal.replication.SwitchableReplication;

/**
 * Starts the lease's polling once every singleton exists, with the {@link WriterTransitions} of
 * s3lite's pool (the one that replicates through the database's replication): a follower asks for a hand-over and becomes the writer, a writer hands over on request.
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

	private volatile WriterTransitions transitions;

	/**
	 * Create the watch.
	 * @param config the configuration
	 * @param pools the application's s3lite pools, one of which replicates through {@code replication}
	 * @param engine the engine
	 * @param replication the replication of the database, once started
	 * @param role the role on the lease
	 */
	public RoleWatch(S3liteConfig config, ObjectProvider<ReplicatingDataSource> pools, ReplicationEngine engine,
			Supplier<SwitchableReplication> replication, LeaseRole role) {
		this.config = config;
		this.pools = pools;
		this.engine = engine;
		this.replication = replication;
		this.role = role;
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
		WriterTransitions started = new WriterTransitions(this.config, pool, this.engine, switchable,
				this.role.replicaWritePermit());
		this.transitions = started;
		this.role.watch(started);
	}

	@Override
	public void close() {
		WriterTransitions started = this.transitions;
		if (started != null) {
			started.close();
		}
	}

}
