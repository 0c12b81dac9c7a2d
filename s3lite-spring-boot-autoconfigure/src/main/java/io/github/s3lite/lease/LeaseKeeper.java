package io.github.s3lite.lease;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.s3lite.datasource.WriteGate;

/**
 * Holds the lease for the life of the application context, from its acquisition at startup
 * ({@link LeaseAcquisition}): renews it every {@code ttl/3} on a daemon thread
 * ({@code s3lite-lease-keeper}; requests run on {@code s3lite-lease-io}, so a hung request never
 * delays fencing), fences this instance when the lease is lost (a renewal refused with 412) or cannot
 * be renewed by {@code expires_at - ttl/6}, and releases it in {@link #close()}, which the context calls
 * after the pool closed and replication stopped. Once fenced, an instance stays fenced until it
 * restarts. It is the {@link WriteGate} of s3lite's connections.
 */
public final class LeaseKeeper implements WriteGate, AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(LeaseKeeper.class);

	private static final Duration MAX_RELEASE_WAIT = Duration.ofSeconds(10);

	private final ReplicaLease lease;

	private final AutoCloseable store;

	private final Clock clock;

	private final LeaseWriteGate gate;

	private final ScheduledExecutorService scheduler = Executors
		.newSingleThreadScheduledExecutor((task) -> daemon(task, "s3lite-lease-keeper"));

	private final ExecutorService io = Executors.newSingleThreadExecutor((task) -> daemon(task, "s3lite-lease-io"));

	private final List<Runnable> fencedActions = new CopyOnWriteArrayList<>();

	private final AtomicLong renewals = new AtomicLong();

	private final AtomicLong renewalFailures = new AtomicLong();

	private volatile HeldLease held;

	private volatile boolean lost;

	private volatile boolean fenced;

	private volatile boolean closed;

	private LeaseKeeper(ReplicaLease lease, AutoCloseable store, Clock clock, HeldLease held) {
		this.lease = lease;
		this.store = store;
		this.clock = clock;
		this.held = held;
		this.gate = new LeaseWriteGate(clock, lease.location(), lease.timing().fenceAt(held.record().expiresAt()));
	}

	/**
	 * Start keeping a lease just acquired.
	 * @param lease the protocol
	 * @param store closed by {@link #close()}
	 * @param clock the clock
	 * @param held the lease, fresh (its fencing deadline not passed)
	 * @return the keeper
	 */
	static LeaseKeeper start(ReplicaLease lease, AutoCloseable store, Clock clock, HeldLease held) {
		LeaseKeeper keeper = new LeaseKeeper(lease, store, clock, held);
		logger.info("Lease acquired: {} as '{}', generation {}, expires {} (renewed every {})", lease.location(),
				lease.owner(), held.record().generation(), held.record().expiresAt(), lease.timing().renewInterval());
		keeper.scheduleRenewal(lease.timing().nextRenewal(sentAt(lease, held)));
		return keeper;
	}

	@Override
	public boolean isWriter() {
		return this.gate.isWriter();
	}

	@Override
	public SQLException notWriter(SQLException cause) {
		return this.gate.notWriter(cause);
	}

	@Override
	public void whenFenced(Runnable action) {
		this.fencedActions.add(action);
		if (this.fenced && !this.closed) {
			runInBackground(action);
		}
	}

	/**
	 * Return the lease as this instance sees it, without I/O.
	 * @return the status
	 */
	public LeaseStatus status() {
		boolean writer = this.gate.isWriter();
		LeaseRecord mine = this.held.record();
		LeaseRecord holder = writer ? mine : this.gate.knownHolder();
		return new LeaseStatus(writer, this.lease.owner(), (holder != null) ? holder.owner() : null,
				(holder != null) ? holder.expiresAt() : mine.expiresAt(),
				(holder != null) ? holder.generation() : mine.generation(), this.renewals.get(),
				this.renewalFailures.get(), writer ? null : this.gate.reason(), writer ? null : this.gate.fencedAt(),
				writer ? "writer" : "fenced", 0, null);
	}

	private void scheduleRenewal(Instant at) {
		long delay = Math.max(0, Duration.between(this.clock.instant(), at).toMillis());
		if (!this.closed) {
			this.scheduler.schedule(this::renew, delay, TimeUnit.MILLISECONDS);
		}
	}

	private void renew() {
		if (this.closed || this.fenced) {
			return;
		}
		Instant fenceAt = this.gate.writerUntil();
		long wait = Duration.between(this.clock.instant(), fenceAt).toMillis();
		if (wait <= 0 || !this.gate.isWriter()) {
			fence("its lease could not be renewed by " + fenceAt + " (expires_at - ttl/6)", null);
			return;
		}
		HeldLease current = this.held;
		Future<Optional<HeldLease>> renewal = this.io.submit(() -> this.lease.renew(current));
		try {
			Optional<HeldLease> renewed = renewal.get(wait, TimeUnit.MILLISECONDS);
			if (renewed.isEmpty()) {
				lost();
				return;
			}
			this.held = renewed.get();
			this.gate.extend(this.lease.timing().fenceAt(renewed.get().record().expiresAt()));
			this.renewals.incrementAndGet();
			logger.debug("Lease renewed until {}", renewed.get().record().expiresAt());
			scheduleRenewal(this.lease.timing().nextRenewal(sentAt(this.lease, renewed.get())));
		}
		catch (TimeoutException ex) {
			renewal.cancel(true);
			this.renewalFailures.incrementAndGet();
			fence("its lease renewal did not finish by " + fenceAt + " (expires_at - ttl/6)", null);
		}
		catch (ExecutionException ex) {
			this.renewalFailures.incrementAndGet();
			logger.warn("Lease renewal of {} failed, retrying until {}: {}", this.lease.location(), fenceAt,
					ex.getCause().getMessage());
			scheduleRenewal(this.lease.timing().retryAfterFailure(this.clock.instant(), fenceAt));
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private void lost() {
		this.lost = true;
		LeaseRecord holder = readHolderWithin(this.lease.timing().renewInterval());
		logger.info("Lease lost: {} changed hands, now held by {}", this.lease.location(),
				(holder != null) ? holder : "an unknown instance");
		fence("its lease was taken over", holder);
	}

	private LeaseRecord readHolderWithin(Duration wait) {
		Future<Optional<LeaseRecord>> read = this.io.submit(this.lease::readHolder);
		try {
			return read.get(wait.toMillis(), TimeUnit.MILLISECONDS).orElse(null);
		}
		catch (ExecutionException | TimeoutException ex) {
			read.cancel(true);
			return null;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return null;
		}
	}

	private synchronized void fence(String reason, LeaseRecord holder) {
		if (this.fenced) {
			return;
		}
		this.gate.fence(reason, holder);
		this.fenced = true;
		logger.info("Fenced: this instance ('{}') no longer writes to {} because {}; s3lite's DataSource refuses "
				+ "writes until restart", this.lease.owner(), this.lease.location(), reason);
		this.fencedActions.forEach(LeaseKeeper::runInBackground);
	}

	/**
	 * Stop renewing and release the lease (a conditional delete), bounded by {@code min(ttl/3, 10s)}. The
	 * context calls this after the pool closed and replication stopped. Never throws.
	 */
	@Override
	public void close() {
		synchronized (this) {
			if (this.closed) {
				return;
			}
			this.closed = true;
			this.gate.fence("the lease was released at shutdown", null);
		}
		this.scheduler.shutdownNow();
		HeldLease current = this.held;
		if (!this.lost) {
			release(current);
		}
		this.io.shutdownNow();
		closeQuietly(this.store);
	}

	private void release(HeldLease current) {
		Duration bound = this.lease.timing().renewInterval();
		bound = (bound.compareTo(MAX_RELEASE_WAIT) < 0) ? bound : MAX_RELEASE_WAIT;
		Future<Boolean> release = this.io.submit(() -> this.lease.release(current));
		try {
			if (release.get(bound.toMillis(), TimeUnit.MILLISECONDS)) {
				logger.info("Lease released: {} (generation {})", this.lease.location(), current.record().generation());
			}
			else {
				logger.info("Lease not released: {} had already changed hands", this.lease.location());
			}
		}
		catch (TimeoutException ex) {
			release.cancel(true);
			logger.warn("Lease release of {} did not finish within {}; a successor waits for its expiry at {}",
					this.lease.location(), bound, current.record().expiresAt());
		}
		catch (ExecutionException ex) {
			logger.warn("Lease release of {} failed; a successor waits for its expiry at {}: {}",
					this.lease.location(), current.record().expiresAt(), ex.getCause().getMessage());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private static Instant sentAt(ReplicaLease lease, HeldLease held) {
		return held.record().expiresAt().minus(lease.timing().ttl());
	}

	private static void runInBackground(Runnable action) {
		daemon(action, "s3lite-lease-fenced").start();
	}

	private static Thread daemon(Runnable task, String name) {
		Thread thread = new Thread(task, name);
		thread.setDaemon(true);
		return thread;
	}

	static void closeQuietly(AutoCloseable closeable) {
		try {
			closeable.close();
		}
		catch (Exception ex) {
			logger.debug("Could not close {}", closeable, ex);
		}
	}

}
