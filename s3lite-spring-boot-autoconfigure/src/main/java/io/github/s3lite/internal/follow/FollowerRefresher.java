package io.github.s3lite.internal.follow;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
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
import io.github.s3lite.internal.nativeengine.format.GenerationListing;
import io.github.s3lite.internal.nativeengine.format.ReplicaFormat;
import io.github.s3lite.internal.nativeengine.format.ReplicaListing;
import io.github.s3lite.internal.nativeengine.format.RestorePlan;
import io.github.s3lite.internal.nativeengine.format.WalIndexPlan;
import io.github.s3lite.internal.replication.WalPosition;
import io.github.s3lite.internal.storage.ReplicaStore;
import io.github.s3lite.replication.ReplicaPosition;
import io.github.s3lite.replication.ReplicationException;

/**
 * Keeps a follower's readers up with the replica (litestream v0.3's format, which both engines write).
 * <ul>
 * <li>The follow file: a private database beside the database, {@code .<db>.s3lite-follow}, that no
 * connection opens, at a known position in the replica (generation, WAL index, offset), with the decoded
 * WAL of that index kept beside it ({@code .<db>.s3lite-follow.wal}).</li>
 * <li>The probe: one LIST from that position ({@link ReplicaFormat#listFrom}: one request while fewer than
 * 1,000 objects are new), at the cadence of {@link ProbeCadence}; one probe in ten, and every
 * {@link #refresh()}, is a full listing, which also sees a new generation named before the followed one.</li>
 * <li>When the followed generation moved, only the new WAL segments are downloaded and applied to the
 * follow file ({@link NativeRestore#advance}); a new generation, or a position retention pruned past, is
 * restored in full into it ({@link NativeRestore#restore(Path, Optional, Path)}, checked with
 * {@code quick_check}).</li>
 * <li>A copy of the follow file, {@code .<db>.s3lite-follow-<n>}, is then published: copying is local I/O
 * of the database's size per refresh that moved.</li>
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

	private static final String FOLLOW_INFIX = ".s3lite-follow";

	private static final String COPY_INFIX = FOLLOW_INFIX + "-";

	private final DatabaseLifecycle lifecycle;

	private final ReplicatingDataSource pool;

	private final SqliteConnectionSource connections;

	private final ReplicaStore store;

	private final ReplicaFormat format;

	private final Duration interval;

	private final AtomicLong copies = new AtomicLong();

	private final List<Path> retired = new CopyOnWriteArrayList<>();

	private final Path followFile;

	private final Path followWal;

	private volatile Published published;

	private Follow follow;

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
		Path database = this.connections.primaryDatabase();
		this.followFile = database.resolveSibling("." + database.getFileName() + FOLLOW_INFIX);
		this.followWal = this.followFile.resolveSibling(this.followFile.getFileName() + ".wal");
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
		ProbeCadence cadence = new ProbeCadence(this.interval, System.nanoTime());
		while (!this.closed) {
			try {
				Thread.sleep(cadence.nextDelay(System.nanoTime()).toMillis());
			}
			catch (InterruptedException ex) {
				return;
			}
			try {
				Published before = this.published;
				WalPosition reached = refreshIfFollowing(cadence.fullListingNext());
				cadence.probed(before == null || reached == null || !reached.equals(before.position()), System.nanoTime());
				if (this.failing) {
					logger.info("Follower of {} refreshes again", this.store.location());
					this.failing = false;
				}
			}
			catch (IOException | RuntimeException ex) {
				cadence.probed(true, System.nanoTime());
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
			return refreshIfFollowing(true);
		}
		catch (IOException ex) {
			throw new ReplicationException("Could not refresh the follower of " + this.store.location() + ": "
					+ ex.getMessage(), ex);
		}
	}

	/**
	 * Refresh, unless this instance does not follow: advance the follow file and publish a copy of it when
	 * it moved.
	 * @param fullListing whether to list the whole replica rather than from the follow file's position
	 * @return the position published, {@code null} when not following or the replica is empty
	 */
	synchronized WalPosition refreshIfFollowing(boolean fullListing) throws IOException {
		retireUnpublished();
		deleteRetired();
		if (!following()) {
			return null;
		}
		Published current = this.published;
		WalPosition reached = advanceFollowFile(fullListing);
		if (reached == null) {
			return (current != null) ? current.position() : null;
		}
		if (current != null && current.position().equals(reached)) {
			return reached;
		}
		Path copy = nextCopy();
		try {
			Files.copy(this.followFile, copy);
		}
		catch (IOException | RuntimeException ex) {
			deleteCopy(copy);
			throw ex;
		}
		if (!this.connections.publish(copy, this::following)) {
			deleteCopy(copy);
			return null;
		}
		this.published = new Published(copy, reached);
		if (current != null) {
			this.retired.add(current.copy());
		}
		evictIdleConnections();
		deleteRetired();
		logger.debug("Follower of {} published {} ({})", this.store.location(), reached, copy.getFileName());
		return reached;
	}

	/**
	 * Bring the follow file to the replica's newest state, incrementally when it can.
	 * @return where it stands, {@code null} for an empty replica
	 */
	private WalPosition advanceFollowFile(boolean fullListing) throws IOException {
		Follow current = this.follow;
		if (current != null && !fullListing) {
			WalPosition from = current.position();
			ReplicaListing probe = this.format.listFrom(this.store, from);
			if (!current.known().containsAll(keysOutside(probe, from.generation()))) {
				return advanceFromFullListing(current);
			}
			boolean listed = probe.generations().stream().anyMatch((g) -> g.generation().equals(from.generation()));
			Optional<List<WalIndexPlan>> wal = listed ? this.format.walAfter(probe, from) : Optional.of(List.of());
			if (wal.isPresent()) {
				return advance(current, wal.get());
			}
		}
		return advanceFromFullListing(current);
	}

	private WalPosition advanceFromFullListing(Follow current) throws IOException {
		ReplicaListing listing = this.format.list(this.store);
		Optional<RestorePlan> plan = this.format.planRestore(listing);
		if (plan.isEmpty()) {
			return (current != null) ? current.position() : null;
		}
		Set<String> known = keysOutside(listing, plan.get().generation());
		if (current != null && current.position().generation().equals(plan.get().generation())) {
			Optional<List<WalIndexPlan>> wal = this.format.walAfter(listing, current.position());
			if (wal.isPresent()) {
				this.follow = new Follow(current.position(), known);
				return advance(this.follow, wal.get());
			}
		}
		this.follow = null;
		deleteFollowFile();
		NativeRestoreResult restored = restorer().restore(this.followFile, plan, this.followWal);
		this.follow = new Follow(restored.walEnd(), known);
		return restored.walEnd();
	}

	private WalPosition advance(Follow current, List<WalIndexPlan> wal) throws IOException {
		if (wal.isEmpty()) {
			return current.position();
		}
		try {
			WalPosition reached = restorer().advance(this.followFile, current.position(), this.followWal, wal);
			this.follow = new Follow(reached, current.known());
			return reached;
		}
		catch (IOException | RuntimeException ex) {
			// part of the WAL may be applied: the next refresh restores afresh
			this.follow = null;
			deleteFollowFile();
			throw ex;
		}
	}

	private NativeRestore restorer() {
		return new NativeRestore(this.store, this.format, NativeRestore.DEFAULT_PARALLELISM);
	}

	/** The keys of a listing's snapshots and segments outside a generation. */
	private static Set<String> keysOutside(ReplicaListing listing, String generation) {
		Set<String> keys = new HashSet<>();
		for (GenerationListing other : listing.generations()) {
			if (!other.generation().equals(generation)) {
				other.snapshots().forEach((snapshot) -> keys.add(snapshot.key()));
				other.segments().forEach((segment) -> keys.add(segment.key()));
			}
		}
		return keys;
	}

	private void deleteFollowFile() {
		deleteCopy(this.followFile);
		deleteCopy(this.followWal);
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
				"." + database.getFileName() + FOLLOW_INFIX + "*")) {
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
			this.follow = null;
			deleteFollowFile();
		}
		try {
			this.store.close();
		}
		catch (IOException ex) {
			logger.debug("Could not close the replica store of the follower: {}", ex.getMessage());
		}
	}

	private record Published(Path copy, WalPosition position) {
	}

	/**
	 * The follow file's state.
	 *
	 * @param position where it stands in the replica
	 * @param known the snapshots and segments of the other generations at the last full listing, which a
	 * probe that lists them again does not take for a move
	 */
	private record Follow(WalPosition position, Set<String> known) {
	}

}
