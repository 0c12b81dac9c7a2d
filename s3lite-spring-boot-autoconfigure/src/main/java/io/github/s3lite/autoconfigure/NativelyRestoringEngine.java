package io.github.s3lite.autoconfigure;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.github.s3lite.replication.ReplicaPosition;
import io.github.s3lite.internal.config.ReplicaUrl;
import io.github.s3lite.internal.engine.ReplicationEngine;
import io.github.s3lite.replication.Replication;
import io.github.s3lite.internal.replication.WalPosition;
import io.github.s3lite.internal.storage.WritePermit;

/**
 * An engine that replicates with one engine (litestream) and restores and checks the replica with
 * another (the native engine's restore: parallel ranged downloads decoded while downloading, each WAL
 * index applied once, no child process), so that the faster restore is used whichever engine
 * replicates. Both read and write litestream v0.3's replica format. Before anything is restored, the
 * replicating engine is asked whether it can run at all ({@code canReplicate}: for litestream, the
 * binary resolves), so that a configuration that cannot replicate fails before a file appears at
 * {@code s3lite.path}, as it did when the binary restored. Where the restore ended is reported by the
 * restoring engine and adopted by the replicating one, so that it continues the restored generation.
 */
final class NativelyRestoringEngine implements ReplicationEngine {

	private final ReplicationEngine replicating;

	private final ReplicationEngine restoring;

	private final Runnable canReplicate;

	/**
	 * Create the engine.
	 * @param replicating the engine that replicates, and owns the local state and leftovers
	 * @param restoring the engine that restores and checks the replica
	 * @param canReplicate fails, as the replicating engine would, when it cannot run
	 */
	NativelyRestoringEngine(ReplicationEngine replicating, ReplicationEngine restoring, Runnable canReplicate) {
		this.replicating = replicating;
		this.restoring = restoring;
		this.canReplicate = canReplicate;
	}

	@Override
	public String name() {
		return this.replicating.name();
	}

	@Override
	public void releaseLeftovers(Path database) {
		this.replicating.releaseLeftovers(database);
	}

	@Override
	public List<Path> localState(Path database) {
		return this.replicating.localState(database);
	}

	@Override
	public boolean restore(ReplicaUrl replica, Path target, Duration timeout) {
		this.canReplicate.run();
		return this.restoring.restore(replica, target, timeout);
	}

	@Override
	public Optional<WalPosition> restoredPosition(Path target) {
		return this.restoring.restoredPosition(target);
	}

	@Override
	public Optional<String> restoredEnd(Path target) {
		return this.restoring.restoredEnd(target);
	}

	@Override
	public boolean endReaches(String end, String other) {
		return this.restoring.endReaches(end, other);
	}

	@Override
	public Optional<String> replicaEnd(ReplicaUrl replica) {
		return this.restoring.replicaEnd(replica);
	}

	@Override
	public Optional<String> replicaEndAt(ReplicaUrl replica, ReplicaPosition expected) {
		return this.restoring.replicaEndAt(replica, expected);
	}

	@Override
	public void supersede(ReplicaUrl replica, WritePermit permit) {
		this.restoring.supersede(replica, permit);
	}

	@Override
	public void adoptRestored(Path target, WalPosition position) {
		this.replicating.adoptRestored(target, position);
	}

	@Override
	public void checkReplica(Path database, ReplicaUrl replica) {
		this.restoring.checkReplica(database, replica);
	}

	@Override
	public Replication start(Path database, ReplicaUrl replica) {
		return this.replicating.start(database, replica);
	}

	@Override
	public Replication start(Path database, ReplicaUrl replica, WritePermit permit) {
		return this.replicating.start(database, replica, permit);
	}

	@Override
	public List<String> connectionStatements() {
		return this.replicating.connectionStatements();
	}

	@Override
	public String toString() {
		return this.replicating + " restoring with " + this.restoring;
	}

}
