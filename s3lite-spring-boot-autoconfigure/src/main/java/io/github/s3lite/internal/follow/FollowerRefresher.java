package io.github.s3lite.internal.follow;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import com.zaxxer.hikari.HikariPoolMXBean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.s3lite.datasource.ReplicatingDataSource;
import io.github.s3lite.internal.datasource.FollowerRefresh;
import io.github.s3lite.internal.datasource.SqliteConnectionSource;
import io.github.s3lite.internal.lifecycle.DatabaseLifecycle;
import io.github.s3lite.internal.lifecycle.LifecycleState;
import io.github.s3lite.internal.nativeengine.NativeRestore;
import io.github.s3lite.internal.nativeengine.NativeRestoreResult;
import io.github.s3lite.internal.nativeengine.format.ReplicaFormat;
import io.github.s3lite.internal.nativeengine.format.RestorePlan;
import io.github.s3lite.internal.replication.WalPosition;
import io.github.s3lite.internal.storage.ReplicaStore;
import io.github.s3lite.replication.ReplicaPosition;
import io.github.s3lite.replication.ReplicationException;

/**
 * Keeps a follower's readers up with the replica (litestream v0.3's format, which both engines write).
 * <ul>
 * <li>The probe: one listing of the replica ({@link ReplicaFormat#list}, one LIST request per 1,000
 * objects) and its restore plan; the replica moved when the plan ends at another object than the one
 * published (WAL segments and snapshots are never rewritten), or in another generation.</li>
 * <li>When it moved, the plan is restored in full into a new private copy beside the database,
 * {@code .<db>.s3lite-follow-<n>}, that no connection opens until it is complete and checked.</li>
 * <li>Publishing: the pool's connection source switches to the copy in one step
 * ({@link SqliteConnectionSource#publish}); idle connections to the previous copy are evicted and
 * connections in use finish their transaction on it, and a connection to a previous copy is never
 * handed out again ({@link ReplicatingDataSource#getConnection()}). A transaction therefore sees the
 * state before a refresh or after it, never between. A copy is written only before it is published and
 * each has its own name (and its own {@code -wal} and {@code -shm}); a previous copy is deleted once no
 * connection to it is open.</li>
 * </ul>
 * It refreshes only while the lifecycle is {@link LifecycleState#FOLLOWING}: a promotion switches the
 * pool back to {@code s3lite.path} ({@link SqliteConnectionSource#usePrimary()}, under the lock of the
 * switch, which then refuses a refresh still running), and a demoted writer follows again from a fresh
 * copy.
 */
public final class FollowerRefresher implements FollowerRefresh, AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(FollowerRefresher.class);

	private static final String COPY_INFIX = ".s3lite-follow-";

	private final DatabaseLifecycle lifecycle;

	private final ReplicatingDataSource pool;

	private final SqliteConnectionSource connections;

	private final ReplicaStore store;

	private final ReplicaFormat format;

	private final Duration interval;

	private final AtomicLong copies = new AtomicLong();

	private final List<Path> retired = new CopyOnWriteArrayList<>();

	private volatile Published published;

	private volatile boolean closed;

	private volatile Thread thread;

	private volatile boolean failing;

	/**
	 * Create the refresher; {@link #start()} starts its thread.
	 * @param lifecycle the lifecycle of the database, which says when this instance follows
	 * @param pool s3lite's pool
	 * @param store the replica, owned by the refresher from now on
	 * @param format the replica's format
	 * @param interval how often to refresh, {@link Duration#ZERO} for on demand only
	 */
	public FollowerRefresher(DatabaseLifecycle lifecycle, ReplicatingDataSource pool, ReplicaStore store,
			ReplicaFormat format, Duration interval) {
		this.lifecycle = lifecycle;
		this.pool = pool;
		this.connections = (SqliteConnectionSource) pool.getDataSource();
		this.store = store;
		this.format = format;
		this.interval = interval;
		deleteLeftovers();
	}

	/**
	 * Offer on-demand refreshes through the pool and start refreshing every interval (unless it is 0).
	 */
	public void start() {
		this.connections.followedBy(this);
		if (this.interval.isZero()) {
			return;
		}
		Thread started = new Thread(this::run, "s3lite-follower");
		started.setDaemon(true);
		this.thread = started;
		started.start();
	}

	private void run() {
		while (!this.closed) {
			try {
				Thread.sleep(this.interval.toMillis());
			}
			catch (InterruptedException ex) {
				return;
			}
			try {
				refreshIfFollowing();
				if (this.failing) {
					logger.info("Follower of {} refreshes again", this.store.location());
					this.failing = false;
				}
			}
			catch (IOException | RuntimeException ex) {
				if (!this.failing) {
					logger.warn("Follower of {} could not refresh (retrying every {}): {}", this.store.location(),
							this.interval, ex.getMessage());
					this.failing = true;
				}
			}
		}
	}

	@Override
	public ReplicaPosition refresh() {
		try {
			return refreshIfFollowing();
		}
		catch (IOException ex) {
			throw new ReplicationException("Could not refresh the follower of " + this.store.location() + ": "
					+ ex.getMessage(), ex);
		}
	}

	/**
	 * Refresh, unless this instance does not follow.
	 * @return the position published, {@code null} when not following or the replica is empty
	 */
	synchronized WalPosition refreshIfFollowing() throws IOException {
		retireUnpublished();
		deleteRetired();
		if (!following()) {
			return null;
		}
		Published current = this.published;
		Optional<RestorePlan> plan = this.format.planRestore(this.format.list(this.store));
		if (plan.isEmpty()) {
			return (current != null) ? current.position() : null;
		}
		if (current != null && current.endKey().equals(plan.get().endKey())) {
			return current.position();
		}
		Path copy = nextCopy();
		NativeRestoreResult restored;
		try {
			restored = new NativeRestore(this.store, this.format, NativeRestore.DEFAULT_PARALLELISM).restore(copy, plan);
		}
		catch (IOException | RuntimeException ex) {
			deleteCopy(copy);
			throw ex;
		}
		if (!this.connections.publish(copy, this::following)) {
			deleteCopy(copy);
			return null;
		}
		this.published = new Published(copy, plan.get().endKey(), restored.walEnd());
		if (current != null) {
			this.retired.add(current.copy());
		}
		evictIdleConnections();
		deleteRetired();
		logger.debug("Follower of {} published {} ({})", this.store.location(), restored.walEnd(), copy.getFileName());
		return restored.walEnd();
	}

	/**
	 * Return the position the readers' database has reached, as far as this refresher published it.
	 * @return the position, {@code null} before the first refresh and while not following
	 */
	public WalPosition publishedPosition() {
		Published current = this.published;
		return (current != null && current.copy().equals(this.connections.currentDatabase())) ? current.position()
				: null;
	}

	private boolean following() {
		return !this.closed && this.lifecycle.state() == LifecycleState.FOLLOWING;
	}

	/** A promotion switched the pool back to s3lite.path: the copy is no longer read from. */
	private void retireUnpublished() {
		Published current = this.published;
		if (current != null && !current.copy().equals(this.connections.currentDatabase())) {
			this.published = null;
			this.retired.add(current.copy());
		}
	}

	private void evictIdleConnections() {
		HikariPoolMXBean running = this.pool.getHikariPoolMXBean();
		if (running != null && !this.pool.isClosed()) {
			running.softEvictConnections();
		}
	}

	private void deleteRetired() {
		for (Path copy : this.retired) {
			if (this.connections.openConnections(copy) == 0) {
				deleteCopy(copy);
				this.retired.remove(copy);
			}
		}
	}

	private Path nextCopy() throws IOException {
		Path database = this.connections.primaryDatabase();
		Path copy = database.resolveSibling("." + database.getFileName() + COPY_INFIX + this.copies.incrementAndGet());
		deleteCopy(copy);
		return copy;
	}

	private void deleteLeftovers() {
		Path database = this.connections.primaryDatabase();
		Path directory = database.getParent();
		if (directory == null || !Files.isDirectory(directory)) {
			return;
		}
		try (DirectoryStream<Path> leftovers = Files.newDirectoryStream(directory,
				"." + database.getFileName() + COPY_INFIX + "*")) {
			for (Path leftover : leftovers) {
				Files.deleteIfExists(leftover);
			}
		}
		catch (IOException ex) {
			logger.debug("Could not delete the copies a previous follower of {} left: {}", database, ex.getMessage());
		}
	}

	private static void deleteCopy(Path copy) {
		for (String suffix : new String[] { "", "-wal", "-shm", "-journal" }) {
			try {
				Files.deleteIfExists(copy.resolveSibling(copy.getFileName() + suffix));
			}
			catch (IOException ex) {
				logger.debug("Could not delete {}{}: {}", copy, suffix, ex.getMessage());
			}
		}
	}

	/**
	 * Stop refreshing and close the replica store; copies no connection holds are deleted (the others at
	 * the next start).
	 */
	@Override
	public void close() {
		this.closed = true;
		this.connections.followedBy(null);
		Thread running = this.thread;
		if (running != null) {
			running.interrupt();
			try {
				running.join(5_000);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
		synchronized (this) {
			retireUnpublished();
			deleteRetired();
		}
		try {
			this.store.close();
		}
		catch (IOException ex) {
			logger.debug("Could not close the replica store of the follower: {}", ex.getMessage());
		}
	}

	private record Published(Path copy, String endKey, WalPosition position) {
	}

}
