package io.github.s3lite.internal.config;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import io.github.s3lite.config.EngineSelection;
import io.github.s3lite.config.S3liteProperties;
import io.github.s3lite.config.Synchronous;
import io.github.s3lite.config.TxLock;

/**
 * The validated, immutable configuration every other part of s3lite works from. Created by
 * {@link #from(S3liteProperties, S3Connection)}, which fails with an
 * {@link InvalidS3liteConfigException} naming the property and the fix before any file or replica
 * work starts.
 *
 * @param databasePath absolute path of the local SQLite file
 * @param restoreFrom replica to restore from, or {@code null}
 * @param backupTo replica to replicate to, or {@code null}
 * @param s3 how to reach the S3 API
 * @param synchronous the synchronous pragma
 * @param txLock the transaction lock mode
 * @param busyTimeout the busy timeout
 * @param migrations SQL statements run on every start
 * @param restoreTimeout bound of a startup restore
 * @param shutdownSyncTimeout bound of the final sync at graceful shutdown
 * @param litestream litestream settings
 * @param operations health and verification settings
 * @param lease single-writer lease settings
 * @param engine the replication engine chosen by {@code s3lite.engine}
 * @param nativeEngine native engine settings
 * @param durableCommits whether commits wait for the replica ({@code s3lite.durable-commits})
 * @param durableCommitTimeout the longest a durable commit waits
 */
public record S3liteConfig(Path databasePath, ReplicaUrl restoreFrom, ReplicaUrl backupTo, S3Connection s3,
		Synchronous synchronous, TxLock txLock, Duration busyTimeout, List<String> migrations,
		Duration restoreTimeout, Duration shutdownSyncTimeout, LitestreamOptions litestream,
		OperationsOptions operations, LeaseOptions lease, EngineSelection engine, NativeOptions nativeEngine, boolean durableCommits,
		Duration durableCommitTimeout) {

	/**
	 * Return this configuration with another S3 connection (a connection-details bean, S3 client
	 * customizers).
	 * @param connection the connection
	 * @return the configuration
	 */
	public S3liteConfig withS3(S3Connection connection) {
		return new S3liteConfig(this.databasePath, this.restoreFrom, this.backupTo, connection, this.synchronous,
				this.txLock, this.busyTimeout, this.migrations, this.restoreTimeout, this.shutdownSyncTimeout,
				this.litestream, this.operations, this.lease, this.engine, this.nativeEngine, this.durableCommits,
				this.durableCommitTimeout);
	}

	/**
	 * Validate properties into a configuration.
	 * @param properties the bound properties
	 * @param s3 the S3 connection (from {@code s3lite.s3.*} or a connection-details bean)
	 * @return the configuration
	 * @throws InvalidS3liteConfigException on the first invalid value
	 */
	public static S3liteConfig from(S3liteProperties properties, S3Connection s3) {
		Path databasePath = databasePath(properties.getPath());
		ReplicaUrl restoreFrom = replica("s3lite.restore-from", properties.getRestoreFrom());
		ReplicaUrl backupTo = replica("s3lite.backup-to", properties.getBackupTo());
		List<String> migrations = migrations(properties.getMigrations());
		Duration busyTimeout = notNegative("s3lite.busy-timeout", properties.getBusyTimeout(), Duration.ofSeconds(5));
		if (busyTimeout.toMillis() > Integer.MAX_VALUE) {
			throw new InvalidS3liteConfigException("s3lite.busy-timeout", busyTimeout, "it is too long",
					"Use a value such as 5s.");
		}
		Synchronous synchronous = (properties.getSynchronous() != null) ? properties.getSynchronous()
				: Synchronous.NORMAL;
		TxLock txLock = (properties.getTxLock() != null) ? properties.getTxLock() : TxLock.IMMEDIATE;
		EngineSelection engine = (properties.getEngine() != null) ? properties.getEngine() : EngineSelection.AUTO;
		Duration durableCommitTimeout = positive("s3lite.durable-commit-timeout",
				properties.getDurableCommitTimeout());
		if (properties.isDurableCommits()) {
			checkDurableCommits(engine, backupTo);
		}
		if (engine == EngineSelection.NATIVE && !properties.getLitestream().isNativeRestore()) {
			throw new InvalidS3liteConfigException("s3lite.litestream.native-restore", false,
					"it asks for 'litestream restore', but s3lite.engine=native runs no litestream binary",
					"Remove s3lite.litestream.native-restore, or set s3lite.engine=litestream.");
		}
		return new S3liteConfig(databasePath, restoreFrom, backupTo, s3, synchronous, txLock, busyTimeout, migrations,
				positive("s3lite.restore-timeout", properties.getRestoreTimeout()),
				notNegative("s3lite.shutdown-sync-timeout", properties.getShutdownSyncTimeout(), Duration.ZERO),
				litestream(properties.getLitestream()), operations(properties),
				LeaseOptions.from(properties.getLease(), properties.getFollower(), backupTo),
				engine, nativeEngine(properties.getNativeEngine(), properties.getShutdownSyncTimeout()),
				properties.isDurableCommits(), durableCommitTimeout);
	}

	private static void checkDurableCommits(EngineSelection engine, ReplicaUrl backupTo) {
		if (engine == EngineSelection.LITESTREAM) {
			throw new InvalidS3liteConfigException("s3lite.engine", "litestream",
					"s3lite.durable-commits=true needs the native engine (litestream cannot make a commit wait "
							+ "for its upload)",
					"Set s3lite.engine=native (or auto), or set s3lite.durable-commits=false.");
		}
		if (backupTo == null) {
			throw new InvalidS3liteConfigException("s3lite.durable-commits", true,
					"there is no replica to wait for (s3lite.backup-to is not set)",
					"Set s3lite.backup-to, or set s3lite.durable-commits=false.");
		}
	}

	private static NativeOptions nativeEngine(S3liteProperties.NativeEngine properties, Duration shutdownSyncTimeout) {
		String prefix = "s3lite.native-engine.";
		long maxWalSize = (properties.getMaxWalSize() != null) ? properties.getMaxWalSize().toBytes() : -1;
		if (maxWalSize < 1024 * 1024) {
			throw new InvalidS3liteConfigException(prefix + "max-wal-size", properties.getMaxWalSize(),
					"it must be at least 1MB", "Use a value such as 64MB.");
		}
		Duration shutdown = (shutdownSyncTimeout == null || shutdownSyncTimeout.isZero()) ? Duration.ofSeconds(10)
				: shutdownSyncTimeout;
		return new NativeOptions(positive(prefix + "sync-interval", properties.getSyncInterval()),
				notNegative(prefix + "snapshot-interval", properties.getSnapshotInterval(), Duration.ZERO),
				positive(prefix + "retention", properties.getRetention()), maxWalSize, shutdown);
	}

	private static OperationsOptions operations(S3liteProperties properties) {
		Duration interval = properties.getVerification().getInterval();
		if (interval != null) {
			positive("s3lite.verification.interval", interval);
		}
		return new OperationsOptions(positive("s3lite.health.max-lag", properties.getHealth().getMaxLag()), interval,
				positive("s3lite.verification.timeout", properties.getVerification().getTimeout()));
	}

	private static Path databasePath(Path path) {
		if (path == null || path.toString().isBlank()) {
			throw new InvalidS3liteConfigException("s3lite.path", null, "it is not set",
					"Set s3lite.path to the local SQLite file, e.g. s3lite.path=./data/app.sqlite3, or set s3lite.enabled=false.");
		}
		Path absolute = path.toAbsolutePath().normalize();
		if (Files.isDirectory(absolute)) {
			throw new InvalidS3liteConfigException("s3lite.path", path, "it is a directory",
					"Point s3lite.path at a file inside it, e.g. " + absolute.resolve("app.sqlite3") + ".");
		}
		if (absolute.getFileName() == null) {
			throw new InvalidS3liteConfigException("s3lite.path", path, "it has no file name",
					"Point s3lite.path at a file, e.g. ./data/app.sqlite3.");
		}
		return absolute;
	}

	private static ReplicaUrl replica(String property, String value) {
		return (value == null || value.isBlank()) ? null : ReplicaUrl.parse(property, value);
	}

	private static List<String> migrations(List<String> migrations) {
		if (migrations == null) {
			return List.of();
		}
		for (int i = 0; i < migrations.size(); i++) {
			if (migrations.get(i) == null || migrations.get(i).isBlank()) {
				throw new InvalidS3liteConfigException("s3lite.migrations[" + i + "]", "", "the statement is empty",
						"Remove the entry or give it an SQL statement.");
			}
		}
		return List.copyOf(migrations);
	}

	private static LitestreamOptions litestream(S3liteProperties.Litestream properties) {
		String prefix = "s3lite.litestream.";
		Path binary = properties.getBinary();
		if (binary != null && binary.toString().isBlank()) {
			binary = null;
		}
		Path cacheDir = (properties.getCacheDir() != null) ? properties.getCacheDir().toAbsolutePath()
				: Path.of(System.getProperty("java.io.tmpdir"), "s3lite-" + System.getProperty("user.name", "user"));
		int minPages = properties.getMinCheckpointPageCount();
		if (minPages < 1) {
			throw new InvalidS3liteConfigException(prefix + "min-checkpoint-page-count", minPages,
					"it must be at least 1", "Use litestream's default, 1000.");
		}
		int maxPages = properties.getMaxCheckpointPageCount();
		if (maxPages != 0 && maxPages < minPages) {
			throw new InvalidS3liteConfigException(prefix + "max-checkpoint-page-count", maxPages,
					"it must be 0 (never force a checkpoint) or at least min-checkpoint-page-count (" + minPages + ")",
					"Use 0 or a value such as 10000.");
		}
		Duration restartMaxBackoff = positive(prefix + "restart-max-backoff", properties.getRestartMaxBackoff());
		return new LitestreamOptions(binary, cacheDir, positive(prefix + "sync-interval", properties.getSyncInterval()),
				positive(prefix + "monitor-interval", properties.getMonitorInterval()),
				notNegative(prefix + "snapshot-interval", properties.getSnapshotInterval(), Duration.ZERO),
				positive(prefix + "retention", properties.getRetention()),
				positive(prefix + "checkpoint-interval", properties.getCheckpointInterval()), minPages, maxPages,
				notNegative(prefix + "shutdown-timeout", properties.getShutdownTimeout(), Duration.ZERO),
				restartMaxBackoff, properties.isNativeRestore());
	}

	private static Duration positive(String property, Duration value) {
		if (value == null || value.isNegative() || value.isZero()) {
			throw new InvalidS3liteConfigException(property, value, "it must be a positive duration",
					"Use a value with a unit, such as 500ms, 1s or 5m.");
		}
		return value;
	}

	private static Duration notNegative(String property, Duration value, Duration whenUnset) {
		if (value == null) {
			return whenUnset;
		}
		if (value.isNegative()) {
			throw new InvalidS3liteConfigException(property, value, "it must not be negative",
					"Use 0 or a value with a unit, such as 500ms, 1s or 5m.");
		}
		return value;
	}

	/**
	 * Return whether replication to {@link #backupTo()} is configured.
	 * @return whether litestream replicates
	 */
	public boolean replicating() {
		return this.backupTo != null;
	}

	/**
	 * Return whether any replica is configured, so that a replication engine is needed.
	 * @return whether restore or replication is configured
	 */
	public boolean needsEngine() {
		return this.backupTo != null || this.restoreFrom != null;
	}

	@Override
	public String toString() {
		return "S3liteConfig[path=" + this.databasePath + ", restoreFrom=" + this.restoreFrom + ", backupTo="
				+ this.backupTo + ", s3=" + this.s3 + "]";
	}

}
