package io.github.s3lite.config;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.util.unit.DataSize;

/**
 * Configuration properties for s3lite: an SQLite database restored from and replicated to S3. Bound from {@code s3lite.*}; validated into an {@link S3liteConfig} before any file or
 * replica work starts.
 */
@ConfigurationProperties("s3lite")
public class S3liteProperties {

	/**
	 * Whether to enable s3lite: restore, replication and the SQLite DataSource.
	 */
	private boolean enabled = true;

	/**
	 * Path of the local SQLite database file, relative to the working directory or absolute. Its
	 * directory is created when missing.
	 */
	private Path path;

	/**
	 * Replica restored from on startup when the local file does not exist: 's3://bucket/prefix' or
	 * 'file:/absolute/dir' or 'file:relative/dir'. An empty replica is a no-op (first deploy).
	 */
	private String restoreFrom;

	/**
	 * Replica every change is replicated to, continuously: 's3://bucket/prefix' or
	 * 'file:/absolute/dir' or 'file:relative/dir'. Replication is off when unset.
	 */
	private String backupTo;

	/**
	 * SQL statements run in order on every start, after Flyway when Flyway is present. There is no
	 * version table, so each statement must be idempotent (CREATE TABLE IF NOT EXISTS ...).
	 */
	private List<String> migrations = new ArrayList<>();

	/**
	 * SQLite 'synchronous' pragma applied to every connection.
	 */
	private Synchronous synchronous = Synchronous.NORMAL;

	/**
	 * Lock taken by transactions begun by the application: 'deferred', 'immediate' or 'exclusive'.
	 * 'immediate' takes the write lock at BEGIN so read-then-write transactions wait for each other
	 * instead of failing with SQLITE_BUSY.
	 */
	private TxLock txLock = TxLock.IMMEDIATE;

	/**
	 * How long a connection waits for a lock held by another connection before failing with
	 * SQLITE_BUSY.
	 */
	private Duration busyTimeout = Duration.ofSeconds(5);

	/**
	 * Longest time a startup restore may take before it is aborted and startup fails.
	 */
	private Duration restoreTimeout = Duration.ofMinutes(30);

	/**
	 * Upper bound of the final sync() done at graceful shutdown while the pool is still open.
	 */
	private Duration shutdownSyncTimeout = Duration.ofSeconds(10);

	/**
	 * Replication engine: 'auto' uses litestream when a compatible v0.3.x binary resolves
	 * (s3lite.litestream.binary, the binary bundled for this platform, or the PATH) and the native
	 * engine otherwise; 'litestream' requires the binary; 'native' replicates inside the JVM. Both
	 * write litestream v0.3's replica format.
	 */
	private EngineSelection engine = EngineSelection.AUTO;

	/**
	 * Whether every commit through s3lite's DataSource that wrote returns only once the replica holds
	 * it (group commit: concurrent commits share one upload). Needs the native engine ('auto' then
	 * chooses it) and s3lite.backup-to. A commit whose upload fails within
	 * s3lite.durable-commit-timeout throws NotReplicatedException (committed locally, shipped later);
	 * while the replica is unreachable, writes fail fast with it.
	 */
	private boolean durableCommits;

	/**
	 * Longest a durable commit waits for the replica before it throws NotReplicatedException.
	 */
	private Duration durableCommitTimeout = Duration.ofSeconds(5);

	private final S3 s3 = new S3();

	private final Litestream litestream = new Litestream();

	private final NativeEngine nativeEngine = new NativeEngine();

	private final Health health = new Health();

	private final Verification verification = new Verification();

	private final Lease lease = new Lease();

	private final Follower follower = new Follower();

	private final Web web = new Web();

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public Path getPath() {
		return this.path;
	}

	public void setPath(Path path) {
		this.path = path;
	}

	public String getRestoreFrom() {
		return this.restoreFrom;
	}

	public void setRestoreFrom(String restoreFrom) {
		this.restoreFrom = restoreFrom;
	}

	public String getBackupTo() {
		return this.backupTo;
	}

	public void setBackupTo(String backupTo) {
		this.backupTo = backupTo;
	}

	public List<String> getMigrations() {
		return this.migrations;
	}

	public void setMigrations(List<String> migrations) {
		this.migrations = migrations;
	}

	public Synchronous getSynchronous() {
		return this.synchronous;
	}

	public void setSynchronous(Synchronous synchronous) {
		this.synchronous = synchronous;
	}

	public TxLock getTxLock() {
		return this.txLock;
	}

	public void setTxLock(TxLock txLock) {
		this.txLock = txLock;
	}

	public Duration getBusyTimeout() {
		return this.busyTimeout;
	}

	public void setBusyTimeout(Duration busyTimeout) {
		this.busyTimeout = busyTimeout;
	}

	public Duration getRestoreTimeout() {
		return this.restoreTimeout;
	}

	public void setRestoreTimeout(Duration restoreTimeout) {
		this.restoreTimeout = restoreTimeout;
	}

	public Duration getShutdownSyncTimeout() {
		return this.shutdownSyncTimeout;
	}

	public void setShutdownSyncTimeout(Duration shutdownSyncTimeout) {
		this.shutdownSyncTimeout = shutdownSyncTimeout;
	}

	public EngineSelection getEngine() {
		return this.engine;
	}

	public void setEngine(EngineSelection engine) {
		this.engine = engine;
	}

	public boolean isDurableCommits() {
		return this.durableCommits;
	}

	public void setDurableCommits(boolean durableCommits) {
		this.durableCommits = durableCommits;
	}

	public Duration getDurableCommitTimeout() {
		return this.durableCommitTimeout;
	}

	public void setDurableCommitTimeout(Duration durableCommitTimeout) {
		this.durableCommitTimeout = durableCommitTimeout;
	}

	public NativeEngine getNativeEngine() {
		return this.nativeEngine;
	}

	public S3 getS3() {
		return this.s3;
	}

	public Litestream getLitestream() {
		return this.litestream;
	}

	public Health getHealth() {
		return this.health;
	}

	public Verification getVerification() {
		return this.verification;
	}

	public Lease getLease() {
		return this.lease;
	}

	public Follower getFollower() {
		return this.follower;
	}

	public Web getWeb() {
		return this.web;
	}

	/**
	 * Web answers to writes s3lite refuses, in Spring MVC and Spring WebFlux applications, and the
	 * read-your-writes headers of servlet applications.
	 */
	public static class Web {

		/**
		 * Whether to answer a write this instance refuses (NotWriterException: a follower, a hand-over, a
		 * fenced writer; NotReplicatedException: a durable commit the replica did not store) with 503
		 * Service Unavailable, a Retry-After header and an RFC 9457 problem body naming the lease holder
		 * when known. The application's own exception handlers take precedence.
		 */
		private boolean enabled = true;

		/**
		 * Whether, with the single-writer lease in a servlet web application, responses carry the replica
		 * position read-your-writes needs: on the writer, every response to a POST, PUT, PATCH or DELETE
		 * carries 'S3lite-Position' (the position that holds what the request committed); on a follower,
		 * a request with that header waits (s3lite.follower.read-your-writes-timeout) until its readers
		 * reached it, and every response carries the follower's own 'S3lite-Position' and, when the wait
		 * timed out, 'S3lite-Stale: true'.
		 */
		private boolean positionHeader = true;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public boolean isPositionHeader() {
			return this.positionHeader;
		}

		public void setPositionHeader(boolean positionHeader) {
			this.positionHeader = positionHeader;
		}

	}

	/**
	 * The single-writer lease on the replica ('<backup-to>/lock.json'): only the instance holding it
	 * writes and replicates; others follow (serve reads) until it hands over, releases or expires.
	 */
	public static class Lease {

		/**
		 * Whether to take the single-writer lease on s3lite.backup-to: only its holder writes and
		 * replicates; another instance starts as a read-only follower (writes fail with
		 * NotWriterException) and becomes the writer by hand-over, release or expiry. Needs a provider
		 * that supports conditional writes. Defaults to true whenever s3lite.backup-to is set.
		 */
		private Boolean enabled;

		/**
		 * Time to live of the lease. The holder renews it every ttl/3 and stops writing ttl/6 before it
		 * expires unless renewed; clocks of instances and the bucket must differ by less than ttl/6.
		 */
		private Duration ttl = Duration.ofSeconds(30);

		/**
		 * Name written as the lease's owner, shown to the instances it keeps out. Defaults to the host
		 * name and process id.
		 */
		private String owner;

		public Boolean getEnabled() {
			return this.enabled;
		}

		public void setEnabled(Boolean enabled) {
			this.enabled = enabled;
		}

		public Duration getTtl() {
			return this.ttl;
		}

		public void setTtl(Duration ttl) {
			this.ttl = ttl;
		}

		public String getOwner() {
			return this.owner;
		}

		public void setOwner(String owner) {
			this.owner = owner;
		}

	}

	/**
	 * A follower (an instance under the single-writer lease that does not hold it) and how it keeps up
	 * with the replica.
	 */
	public static class Follower {

		/**
		 * How often a follower checks whether the replica moved and, when it did, brings the database its
		 * readers see up to the replica's newest state (at once, between two transactions). 0 turns the
		 * periodic refresh off: a follower then serves what it restored at start until a refresh is asked
		 * for, and health shows the age of its data without turning DOWN for it.
		 */
		private Duration refreshInterval = Duration.ofSeconds(1);

		/**
		 * Whether an instance that starts while another holds the lease asks it to hand over, and becomes the
		 * writer once it has caught up (a rolling deploy: the new version takes over). false keeps it a
		 * follower, a read replica, until the lease is released or expires.
		 */
		private boolean requestHandover = true;

		/**
		 * Longest time a request to a follower that carries an 'S3lite-Position' header (the position a
		 * write on the writer answered with) waits, before its handler runs, until this follower's readers
		 * reached that position, refreshing as needed. When it times out, the request proceeds and its
		 * response carries 'S3lite-Stale: true'. 0 does not wait: only what is already published counts.
		 */
		private Duration readYourWritesTimeout = Duration.ofSeconds(5);

		public Duration getRefreshInterval() {
			return this.refreshInterval;
		}

		public void setRefreshInterval(Duration refreshInterval) {
			this.refreshInterval = refreshInterval;
		}

		public Duration getReadYourWritesTimeout() {
			return this.readYourWritesTimeout;
		}

		public void setReadYourWritesTimeout(Duration readYourWritesTimeout) {
			this.readYourWritesTimeout = readYourWritesTimeout;
		}

		public boolean isRequestHandover() {
			return this.requestHandover;
		}

		public void setRequestHandover(boolean requestHandover) {
			this.requestHandover = requestHandover;
		}

	}

	/**
	 * Rules of the {@code s3lite} health indicator.
	 */
	public static class Health {

		/**
		 * How long the replica may stay behind the local database before health turns DOWN. On a
		 * follower, it also bounds staleness: health turns DOWN when the data its readers see is older
		 * than this (the replica was last seen holding nothing newer longer ago), unless the follower
		 * refreshes on demand only.
		 */
		private Duration maxLag = Duration.ofMinutes(1);

		public Duration getMaxLag() {
			return this.maxLag;
		}

		public void setMaxLag(Duration maxLag) {
			this.maxLag = maxLag;
		}

	}

	/**
	 * End-to-end verification of the replica: write a sentinel row, wait for it to replicate, restore
	 * the replica into a temporary directory and look for the row.
	 */
	public static class Verification {

		/**
		 * How often to verify the replica in the background. Unset to verify only on demand (the
		 * s3lite actuator endpoint).
		 */
		private Duration interval;

		/**
		 * How long a whole verification may take: the sentinel row's replication and the restore
		 * share this one bound. LAGGING when the row is not replicated within it, FAILED when the
		 * restore does not finish within what is left.
		 */
		private Duration timeout = Duration.ofSeconds(30);

		public Duration getInterval() {
			return this.interval;
		}

		public void setInterval(Duration interval) {
			this.interval = interval;
		}

		public Duration getTimeout() {
			return this.timeout;
		}

		public void setTimeout(Duration timeout) {
			this.timeout = timeout;
		}

	}

	/**
	 * Connection to the S3 API. Empty fields fall through to the AWS default credential chain
	 * (environment, profile, instance role).
	 */
	public static class S3 {

		/**
		 * Region of the bucket. Defaults to us-east-1 when an endpoint is set; otherwise litestream
		 * asks AWS for the bucket's location.
		 */
		private String region;

		/**
		 * Endpoint of an S3-compatible service (MinIO, R2, Scaleway, ...), e.g.
		 * 'https://minio.example.com:9000'. Unset for AWS S3.
		 */
		private String endpoint;

		/**
		 * Whether to address buckets path-style (endpoint/bucket/key). Defaults to true when an
		 * endpoint is set and false otherwise.
		 */
		private Boolean forcePathStyle;

		/**
		 * Access key ID. Unset to use the AWS default credential chain.
		 */
		private String accessKeyId;

		/**
		 * Secret access key. Unset to use the AWS default credential chain. Never logged and passed to
		 * litestream only through its environment.
		 */
		private String secretAccessKey;

		public String getRegion() {
			return this.region;
		}

		public void setRegion(String region) {
			this.region = region;
		}

		public String getEndpoint() {
			return this.endpoint;
		}

		public void setEndpoint(String endpoint) {
			this.endpoint = endpoint;
		}

		public Boolean getForcePathStyle() {
			return this.forcePathStyle;
		}

		public void setForcePathStyle(Boolean forcePathStyle) {
			this.forcePathStyle = forcePathStyle;
		}

		public String getAccessKeyId() {
			return this.accessKeyId;
		}

		public void setAccessKeyId(String accessKeyId) {
			this.accessKeyId = accessKeyId;
		}

		public String getSecretAccessKey() {
			return this.secretAccessKey;
		}

		public void setSecretAccessKey(String secretAccessKey) {
			this.secretAccessKey = secretAccessKey;
		}

	}

	/**
	 * The litestream child process and its tuning.
	 */
	public static class Litestream {

		/**
		 * Path of the litestream (v0.3.x) binary to run. When unset, the binary bundled for this
		 * platform is used, then 'litestream' on the PATH.
		 */
		private Path binary;

		/**
		 * Directory the bundled binary is extracted to. Defaults to 's3lite-<user>' under
		 * java.io.tmpdir.
		 */
		private Path cacheDir;

		/**
		 * How often litestream uploads new WAL frames to the replica.
		 */
		private Duration syncInterval = Duration.ofSeconds(1);

		/**
		 * How often litestream checks the database for new WAL frames.
		 */
		private Duration monitorInterval = Duration.ofSeconds(1);

		/**
		 * How often litestream writes a full snapshot to the replica. Bounds the WAL replayed by a
		 * restore, so it bounds cold-start time; each snapshot uploads the whole database.
		 */
		private Duration snapshotInterval = Duration.ofHours(1);

		/**
		 * How long snapshots and WAL files are kept in the replica.
		 */
		private Duration retention = Duration.ofHours(24);

		/**
		 * How often litestream checkpoints the WAL into the database (a PASSIVE checkpoint).
		 */
		private Duration checkpointInterval = Duration.ofMinutes(1);

		/**
		 * WAL size in pages above which litestream runs a PASSIVE checkpoint.
		 */
		private int minCheckpointPageCount = 1000;

		/**
		 * WAL size in pages above which litestream forces a RESTART checkpoint, which waits for readers
		 * and blocks writers; 0 disables it so long read transactions never stall writers.
		 */
		private int maxCheckpointPageCount = 0;

		/**
		 * How long litestream may take for its own final upload after SIGTERM before it is killed.
		 */
		private Duration shutdownTimeout = Duration.ofSeconds(10);

		/**
		 * Longest wait between restarts of a litestream process that exited unexpectedly; the wait
		 * doubles from one second up to this value.
		 */
		private Duration restartMaxBackoff = Duration.ofSeconds(30);

		/**
		 * Whether the litestream engine restores (at startup, on promotion, for verification) and checks
		 * the replica natively in the JVM, with parallel downloads, instead of running 'litestream
		 * restore'. Replication stays litestream's either way. Set to false to restore with the binary.
		 */
		private boolean nativeRestore = true;


		public Path getBinary() {
			return this.binary;
		}

		public void setBinary(Path binary) {
			this.binary = binary;
		}

		public Path getCacheDir() {
			return this.cacheDir;
		}

		public void setCacheDir(Path cacheDir) {
			this.cacheDir = cacheDir;
		}

		public Duration getSyncInterval() {
			return this.syncInterval;
		}

		public void setSyncInterval(Duration syncInterval) {
			this.syncInterval = syncInterval;
		}

		public Duration getMonitorInterval() {
			return this.monitorInterval;
		}

		public void setMonitorInterval(Duration monitorInterval) {
			this.monitorInterval = monitorInterval;
		}

		public Duration getSnapshotInterval() {
			return this.snapshotInterval;
		}

		public void setSnapshotInterval(Duration snapshotInterval) {
			this.snapshotInterval = snapshotInterval;
		}

		public Duration getRetention() {
			return this.retention;
		}

		public void setRetention(Duration retention) {
			this.retention = retention;
		}

		public Duration getCheckpointInterval() {
			return this.checkpointInterval;
		}

		public void setCheckpointInterval(Duration checkpointInterval) {
			this.checkpointInterval = checkpointInterval;
		}

		public int getMinCheckpointPageCount() {
			return this.minCheckpointPageCount;
		}

		public void setMinCheckpointPageCount(int minCheckpointPageCount) {
			this.minCheckpointPageCount = minCheckpointPageCount;
		}

		public int getMaxCheckpointPageCount() {
			return this.maxCheckpointPageCount;
		}

		public void setMaxCheckpointPageCount(int maxCheckpointPageCount) {
			this.maxCheckpointPageCount = maxCheckpointPageCount;
		}

		public Duration getShutdownTimeout() {
			return this.shutdownTimeout;
		}

		public void setShutdownTimeout(Duration shutdownTimeout) {
			this.shutdownTimeout = shutdownTimeout;
		}

		public Duration getRestartMaxBackoff() {
			return this.restartMaxBackoff;
		}

		public void setRestartMaxBackoff(Duration restartMaxBackoff) {
			this.restartMaxBackoff = restartMaxBackoff;
		}

		public boolean isNativeRestore() {
			return this.nativeRestore;
		}

		public void setNativeRestore(boolean nativeRestore) {
			this.nativeRestore = nativeRestore;
		}

	}

	/**
	 * Tuning of the native engine (s3lite.engine=native, or auto without a litestream binary).
	 */
	public static class NativeEngine {

		/**
		 * Longest time a committed transaction waits before the background upload. While the database
		 * changes there is at most one upload per interval (plus checkpoints under heavy writing);
		 * while it is idle, no S3 request at all. sync() does not wait for it.
		 */
		private Duration syncInterval = Duration.ofSeconds(1);

		/**
		 * How often a full snapshot is written to the replica; bounds the WAL a restore replays. 0
		 * for none beyond the one that starts each generation.
		 */
		private Duration snapshotInterval = Duration.ofHours(1);

		/**
		 * How long the replica stays restorable to any moment: checked every retention (at most every
		 * hour), older generations are deleted and the current one is pruned below the newest snapshot
		 * older than this. The current generation's newest snapshot and later segments are never deleted.
		 */
		private Duration retention = Duration.ofHours(24);

		/**
		 * Bound of the local WAL file: the engine checkpoints in-process, after shipping every frame,
		 * once the WAL holds an eighth of it, and pauses writers for at most 1 s at a time while it holds
		 * half of it and uploads fall behind (they wait, they do not fail). It grows beyond while
		 * the replica is unreachable or does not answer, and while a long read transaction keeps
		 * checkpoints from completing: unshipped frames are never checkpointed, and writers are never
		 * blocked for longer.
		 */
		private DataSize maxWalSize = DataSize.ofMegabytes(64);

		public Duration getSyncInterval() {
			return this.syncInterval;
		}

		public void setSyncInterval(Duration syncInterval) {
			this.syncInterval = syncInterval;
		}

		public Duration getSnapshotInterval() {
			return this.snapshotInterval;
		}

		public void setSnapshotInterval(Duration snapshotInterval) {
			this.snapshotInterval = snapshotInterval;
		}

		public Duration getRetention() {
			return this.retention;
		}

		public void setRetention(Duration retention) {
			this.retention = retention;
		}

		public DataSize getMaxWalSize() {
			return this.maxWalSize;
		}

		public void setMaxWalSize(DataSize maxWalSize) {
			this.maxWalSize = maxWalSize;
		}

	}

}
