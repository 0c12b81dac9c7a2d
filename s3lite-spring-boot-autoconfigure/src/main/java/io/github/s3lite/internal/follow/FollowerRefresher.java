package io.github.s3lite.internal.follow;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Optional;

import com.zaxxer.hikari.HikariPoolMXBean;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.s3lite.datasource.ReplicatingDataSource;
import io.github.s3lite.internal.datasource.FollowerRefresh;
import io.github.s3lite.internal.datasource.SqliteConnectionSource;
import io.github.s3lite.internal.lifecycle.DatabaseLifecycle;
import io.github.s3lite.internal.lifecycle.LifecycleState;
import io.github.s3lite.internal.restore.FollowedCopy;
import io.github.s3lite.replication.ReplicaPosition;
import io.github.s3lite.replication.ReplicationException;

/**
 * Keeps a follower's readers up with the replica.
 * <ul>
 * <li>The {@link FollowFile}: a private database beside the database, {@code .<db>.s3lite-follow}, that no
 * connection opens, kept at a known position in the replica.</li>
 * <li>The probe, at the cadence of {@link ProbeCadence}: one probe in ten, and every {@link #refresh()}, is
 * a full listing, which also sees a new generation named before the followed one.</li>
 * <li>When the follow file moved, a copy of it ({@link PublishedCopies}) is published: copying is local
 * I/O of the database's size per refresh that moved.</li>
 * <li>Publishing: the pool's connection source switches to the copy in one step
 * ({@link SqliteConnectionSource#publish}); idle connections to the previous copy are evicted and
 * connections in use finish their transaction on it, and a connection to a previous copy is never
 * handed out again ({@link ReplicatingDataSource#getConnection()}). A transaction therefore sees the
 * state before a refresh or after it, never between.</li>
 * </ul>
 * It refreshes only while the lifecycle is {@link LifecycleState#FOLLOWING}: a promotion switches the
 * pool back to {@code s3lite.path} ({@link SqliteConnectionSource#usePrimary()}, under the lock of the
 * switch, which then refuses a refresh still running), and a demoted writer follows again from a fresh
 * copy. The promotion may {@linkplain #take() take} the follow file as its database instead of restoring.
 */
public final class FollowerRefresher implements FollowerRefresh, FollowedCopy, AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(FollowerRefresher.class);

	private final DatabaseLifecycle lifecycle;

	private final ReplicatingDataSource pool;

	private final SqliteConnectionSource connections;

	private final PublishedCopies copies;

	private final FollowFile followFile;

	private final RefreshSchedule schedule;

	private final Clock clock;

	private final PositionWaits waits = new PositionWaits(this::following, this::publishedPosition,
			this::refreshIfFollowing);

	private volatile Published published;

	private volatile Instant checkedAt;

	private volatile boolean closed;

	/**
	 * Create the refresher; {@link #start()} starts its thread.
	 * @param lifecycle the lifecycle of the database, which says when this instance follows
	 * @param pool s3lite's pool
	 * @param followFiles opens the follow file, which the refresher owns from now on
	 * @param interval how often to refresh, {@link Duration#ZERO} for on demand only
	 * @param clock the clock of {@link #status()}
	 */
	public FollowerRefresher(DatabaseLifecycle lifecycle, ReplicatingDataSource pool, FollowFile.Factory followFiles,
			Duration interval, Clock clock) {
		this.lifecycle = lifecycle;
		this.pool = pool;
		this.connections = (SqliteConnectionSource) pool.getDataSource();
		this.copies = new PublishedCopies(this.connections);
		this.followFile = followFiles.open(this.copies.followFile());
		this.schedule = new RefreshSchedule(interval, this::refreshIfFollowing, this.connections.primaryDatabase());
		this.clock = clock;
	}

	/**
	 * Offer on-demand refreshes through the pool and start refreshing every interval (unless it is 0).
	 */
	public void start() {
		this.connections.followedBy(this);
		this.schedule.start();
	}

	@Override
	public ReplicaPosition refresh() {
		try {
			return refreshIfFollowing(true);
		}
		catch (IOException ex) {
			throw new ReplicationException("Could not refresh the follower of " + this.connections.primaryDatabase()
					+ ": " + ex.getMessage(), ex);
		}
	}

	/**
	 * Refresh, unless this instance does not follow: advance the follow file and publish a copy of it when
	 * it moved.
	 * @param fullListing whether to list the whole replica rather than from the follow file's position
	 * @return the position published, {@code null} when not following or the replica is empty
	 */
	synchronized ReplicaPosition refreshIfFollowing(boolean fullListing) throws IOException {
		try {
			return check(fullListing);
		}
		finally {
			this.waits.checked();
		}
	}

	private ReplicaPosition check(boolean fullListing) throws IOException {
		retireUnpublished();
		this.copies.deleteRetired();
		if (!following()) {
			return null;
		}
		Instant started = this.clock.instant();
		Published current = this.published;
		ReplicaPosition reached = this.followFile.advance(fullListing);
		if (reached == null || (current != null && current.position().equals(reached))) {
			this.checkedAt = started;
			return (current != null) ? current.position() : reached;
		}
		Path copy = this.copies.copyOf(this.followFile.path());
		if (!this.connections.publish(copy, this::following)) {
			FollowFile.delete(copy);
			return null;
		}
		this.published = new Published(copy, reached);
		this.checkedAt = started;
		if (current != null) {
			this.copies.retire(current.copy());
		}
		evictIdleConnections();
		logger.debug("Follower of {} published {} ({})", this.connections.primaryDatabase(), reached,
				copy.getFileName());
		return reached;
	}

	/**
	 * Advance the follow file once more and give it up to a promotion, which refreshes do not touch: they
	 * run only while this instance follows, and under the same lock.
	 */
	@Override
	public synchronized Optional<Copy> take() throws IOException {
		if (this.closed || this.lifecycle.state() == LifecycleState.FOLLOWING) {
			return Optional.empty();
		}
		return this.followFile.handOff()
			.map((standing) -> new Copy(this.followFile.path(), standing.position(), standing.end()));
	}

	/**
	 * Return what the readers of this follower see, without I/O: the position published and when the
	 * replica last had nothing newer; before the first refresh that published, no position and the later
	 * of the last check and when this instance started following.
	 * @return the status, {@code null} while not following
	 */
	public FollowerStatus status() {
		if (!following()) {
			return null;
		}
		Published current = this.published;
		if (current == null || !current.copy().equals(this.connections.currentDatabase())) {
			Instant since = this.lifecycle.since();
			Instant checked = this.checkedAt;
			return new FollowerStatus(null, (checked != null && checked.isAfter(since)) ? checked : since,
					this.schedule.failing());
		}
		return new FollowerStatus(current.position(), this.checkedAt, this.schedule.failing());
	}

	/**
	 * Return the position the readers' database has reached, as far as this refresher published it.
	 * @return the position, {@code null} before the first refresh and while not following
	 */
	@Override
	public ReplicaPosition publishedPosition() {
		FollowerStatus status = status();
		return (status != null) ? status.position() : null;
	}

	/**
	 * Wait, paced by {@link PositionWaits}, until the readers' database reached a position; {@code false}
	 * when interrupted (the interrupt is kept).
	 */
	@Override
	public boolean awaitPosition(ReplicaPosition position, Duration timeout) {
		try {
			return this.waits.await(position, timeout);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return false;
		}
	}

	@Override
	public boolean following() {
		return !this.closed && this.lifecycle.state() == LifecycleState.FOLLOWING;
	}

	/** A promotion switched the pool back to s3lite.path: the copy is no longer read from. */
	private void retireUnpublished() {
		Published current = this.published;
		if (current != null && !current.copy().equals(this.connections.currentDatabase())) {
			this.published = null;
			this.copies.retire(current.copy());
		}
	}

	private void evictIdleConnections() {
		HikariPoolMXBean running = this.pool.getHikariPoolMXBean();
		if (running != null && !this.pool.isClosed()) {
			running.softEvictConnections();
		}
	}

	/**
	 * Stop refreshing and close the follow file; copies no connection holds are deleted (the others at
	 * the next start).
	 */
	@Override
	public void close() {
		this.closed = true;
		this.connections.followedBy(null);
		this.schedule.stop();
		synchronized (this) {
			retireUnpublished();
			this.copies.deleteRetired();
			this.followFile.close();
		}
	}

	private record Published(Path copy, ReplicaPosition position) {
	}

}
