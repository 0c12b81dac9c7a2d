package io.github.s3lite.internal.nativeengine;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.s3lite.internal.config.NativeOptions;
import io.github.s3lite.internal.config.ReplicaUrl;
import io.github.s3lite.internal.config.S3Connection;
import io.github.s3lite.internal.engine.ReplicaAccessException;
import io.github.s3lite.internal.engine.ReplicaFailure;
import io.github.s3lite.internal.engine.ReplicationEngine;
import io.github.s3lite.internal.nativeengine.format.GenerationListing;
import io.github.s3lite.internal.nativeengine.format.LitestreamV03Format;
import io.github.s3lite.internal.nativeengine.format.ReplicaFormat;
import io.github.s3lite.internal.nativeengine.format.ReplicaListing;
import io.github.s3lite.internal.nativeengine.format.RestorePlan;
import io.github.s3lite.replication.ReplicaPosition;
import io.github.s3lite.replication.Replication;
import io.github.s3lite.internal.replication.WalPosition;
import io.github.s3lite.internal.storage.PermittedReplicaStore;
import io.github.s3lite.internal.storage.ReplicaStore;
import io.github.s3lite.internal.storage.ReplicaStoreFactory;
import io.github.s3lite.internal.storage.WritePermit;

/**
 * The native engine: restores and replicates in the JVM, in litestream v0.3's replica format, with the
 * AWS SDK v2 for S3. It owns checkpoints, so every connection runs {@code PRAGMA wal_autocheckpoint=0}.
 */
public final class NativeEngine implements ReplicationEngine {

	/** The engine's name. */
	public static final String NAME = "native";

	private static final Logger logger = LoggerFactory.getLogger(NativeEngine.class);

	private static final Duration CHECK_TIMEOUT = Duration.ofSeconds(30);

	private final S3Connection s3;

	private final NativeOptions options;

	private final ReplicaFormat format = new LitestreamV03Format();

	private final LastRestore lastRestore = new LastRestore();

	/**
	 * Create the engine.
	 * @param s3 the S3 connection
	 * @param options the native engine's settings
	 */
	public NativeEngine(S3Connection s3, NativeOptions options) {
		this.s3 = s3;
		this.options = options;
	}

	@Override
	public String name() {
		return NAME;
	}

	@Override
	public List<Path> localState(Path database) {
		return List.of(StoppedPosition.fileOf(database));
	}

	@Override
	public boolean restore(ReplicaUrl replica, Path target, Duration timeout) {
		ReplicaStore store = ReplicaStoreFactory.open(replica, this.s3);
		NativeRestore restore = new NativeRestore(store, this.format, NativeRestore.DEFAULT_PARALLELISM);
		return BoundedStorageWork.run("restore", timeout, "s3lite.restore-timeout",
				() -> this.lastRestore.restore(restore, target), store);
	}

	@Override
	public Optional<WalPosition> restoredPosition(Path target) {
		return this.lastRestore.takePosition(target);
	}

	@Override
	public Optional<String> restoredEnd(Path target) {
		return this.lastRestore.end(target);
	}

	@Override
	public boolean endReaches(String end, String other) {
		return this.format.reaches(end, other);
	}

	@Override
	public void supersede(ReplicaUrl replica, WritePermit permit) {
		ReplicaStore store = PermittedReplicaStore.of(ReplicaStoreFactory.open(replica, this.s3), permit);
		BoundedStorageWork.run("supersede", CHECK_TIMEOUT, null, () -> {
			ReplicaListing listing = this.format.list(store);
			for (GenerationListing generation : listing.generations()) {
				if (!listing.superseded().contains(generation.generation())) {
					store.put("generations/" + generation.generation() + "/" + LitestreamV03Format.SUPERSEDED_MARK,
							new byte[0]);
					logger.info("Generation {} of {} marked superseded: a restore skips it from now on",
							generation.generation(), replica);
				}
			}
			return null;
		}, store);
	}

	@Override
	public Optional<String> replicaEnd(ReplicaUrl replica) {
		ReplicaStore store = ReplicaStoreFactory.open(replica, this.s3);
		return BoundedStorageWork.run("end", CHECK_TIMEOUT, null,
				() -> this.format.planRestore(this.format.list(store)).map(RestorePlan::endKey), store);
	}

	@Override
	public Optional<String> replicaEndAt(ReplicaUrl replica, ReplicaPosition expected) {
		if (!(expected instanceof WalPosition end)) {
			return Optional.empty();
		}
		ReplicaStore store = ReplicaStoreFactory.open(replica, this.s3);
		return BoundedStorageWork.run("end", CHECK_TIMEOUT, null, () -> {
			Optional<RestorePlan> plan = this.format.planRestore(this.format.list(store));
			if (plan.isEmpty() || !ListedEnd.of(plan.get(), store, this.format).equals(end)) {
				return Optional.empty();
			}
			return Optional.of(plan.get().endKey());
		}, store);
	}

	/**
	 * Record where the restored file stands ({@code .<db>-s3lite-native}, as after a clean stop), so that
	 * replicating it continues that generation instead of uploading the whole database again.
	 */
	@Override
	public void adoptRestored(Path target, WalPosition position) {
		long lastIndex = (position.offset() == 0) ? position.index() - 1 : position.index();
		try {
			StoppedPosition.recordRestored(target, position.generation(), lastIndex);
		}
		catch (IOException ex) {
			logger.warn("Could not record where {} stands in generation {} ({}); replicating it will start a new "
					+ "generation", target, position.generation(), ex.toString());
		}
	}

	@Override
	public void checkReplica(Path database, ReplicaUrl replica) {
		ReplicaStore store = ReplicaStoreFactory.open(replica, this.s3);
		try {
			BoundedStorageWork.run("check", CHECK_TIMEOUT, null, () -> store.list("generations/"), store);
		}
		catch (ReplicaAccessException ex) {
			if (ex.getFailure() == ReplicaFailure.MISSING_BUCKET || ex.getFailure() == ReplicaFailure.BAD_CREDENTIALS) {
				throw ex;
			}
			logger.warn("Cannot use the replica {} (s3lite.backup-to): {} {} Starting anyway; replication retries "
					+ "until the replica is reachable.", replica, ex.getFailure().describe(replica, "s3lite.backup-to"),
					ex.getMessage());
		}
	}

	@Override
	public Replication start(Path database, ReplicaUrl replica) {
		return start(database, replica, WritePermit.ALWAYS);
	}

	/**
	 * Start replicating; every replica write checks the permit right before its request.
	 */
	@Override
	public Replication start(Path database, ReplicaUrl replica, WritePermit permit) {
		return NativeReplication.start(database, replica,
				PermittedReplicaStore.of(ReplicaStoreFactory.open(replica, this.s3), permit), this.format, this.options);
	}

	@Override
	public List<String> connectionStatements() {
		return List.of("PRAGMA wal_autocheckpoint=0");
	}

	@Override
	public String toString() {
		return "NativeEngine";
	}

}
