package io.github.s3lite.lease;

import java.io.IOException;
import java.nio.file.Files;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.s3lite.datasource.WriteGate;
import io.github.s3lite.storage.ConditionalWritesNotSupportedException;
import io.github.s3lite.storage.ReplicaStore;
import io.github.s3lite.storage.WritePermit;

/**
 * The role of this instance on its replica, and the {@link WriteGate} of s3lite's connections: the
 * writer while it holds the lease ({@link LeaseKeeper}) and has caught up; otherwise a follower that
 * serves reads. On its own thread ({@code s3lite-lease-role}) it polls every
 * {@link HandoverRequest#checkInterval}: a follower tries to take the lease (free after the holder
 * released it or let it expire) and, when it started while another instance held the lease, asks that
 * holder to hand over; a writer looks for such a request and hands over. Changes of role are carried out
 * by a {@link RoleChange}, with writes fenced throughout.
 */
public final class LeaseRole implements WriteGate, AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(LeaseRole.class);

	private static final Duration FAST_POLL = Duration.ofMillis(250);

	private final ReplicaLease lease;

	private final ReplicaStore store;

	private final Clock clock;

	private final HandoverRequest requests;

	private final WriterMark mark;

	private final Instant startedAt;

	private final ScheduledExecutorService thread = Executors.newSingleThreadScheduledExecutor((task) -> {
		Thread daemon = new Thread(task, "s3lite-lease-role");
		daemon.setDaemon(true);
		return daemon;
	});

	private final List<Runnable> fencedActions = new CopyOnWriteArrayList<>();

	private final AtomicLong handovers = new AtomicLong();

	private final AtomicLong pastRenewals = new AtomicLong();

	private final AtomicLong pastRenewalFailures = new AtomicLong();

	private volatile Role role;

	private volatile LeaseKeeper keeper;

	private volatile LeaseRecord holder;

	private volatile boolean asksForHandover;

	private volatile Instant firstRequestAt;

	private volatile Instant lastRequestAt;

	private volatile String lastHandover;

	private volatile RoleChange change;

	private volatile boolean closed;

	private volatile boolean leaseUnread;

	private volatile boolean tieRuled;

	private volatile String unreadLease;

	private LeaseRole(ReplicaLease lease, ReplicaStore store, Clock clock, Instant startedAt) {
		this.startedAt = startedAt;
		this.lease = lease;
		this.store = store;
		this.clock = clock;
		this.requests = new HandoverRequest(store, lease.timing(), clock);
		this.mark = new WriterMark(store);
	}

	/**
	 * Return the mark that tells whether a local database is the replica's tail.
	 * @return the mark
	 */
	public WriterMark writerMark() {
		return this.mark;
	}

	/**
	 * Take the lease at startup, or start as a follower when a live instance holds it.
	 * @param lease the protocol
	 * @param store the store under the protocol, closed by {@link #close()} (or here on failure)
	 * @param clock the clock
	 * @return the role
	 * @throws LeaseException when the provider refuses conditional writes or the lease is unreadable
	 */
	public static LeaseRole start(ReplicaLease lease, ReplicaStore store, Clock clock) {
		return start(lease, store, clock, clock.instant());
	}

	/**
	 * Take the lease at startup, or start as a follower when a live instance holds it.
	 * @param lease the protocol
	 * @param store the store under the protocol, closed by {@link #close()} (or here on failure)
	 * @param clock the clock
	 * @param startedAt when this instance started (its application context began to refresh): a holder
	 * that became the writer after that instant started together with this one, and is not asked to hand
	 * over
	 * @return the role
	 * @throws LeaseException when the provider refuses conditional writes or the lease is unreadable
	 */
	public static LeaseRole start(ReplicaLease lease, ReplicaStore store, Clock clock, Instant startedAt) {
		LeaseRole role = new LeaseRole(lease, store, clock, startedAt);
		try {
			LeaseAttempt attempt = LeaseAcquisition.attemptAtStartup(lease, clock);
			if (attempt instanceof LeaseAttempt.Acquired acquired) {
				role.keeper = role.keep(acquired.lease());
				role.role = Role.WRITER;
			}
			else {
				role.holder = ((LeaseAttempt.HeldElsewhere) attempt).holder();
				role.role = Role.FOLLOWER;
				role.asksForHandover = true;
				logger.info("Starting as a follower of {}: the lease is held by {}; reads are served, writes are "
						+ "refused until this instance ('{}') becomes the writer (it asks for a hand-over)",
						lease.location(), role.holder, lease.owner());
			}
			return role;
		}
		catch (LeaseException ex) {
			if (!(ex.getCause() instanceof IOException) || ex.getCause() instanceof ConditionalWritesNotSupportedException) {
				LeaseKeeper.closeQuietly(store);
				throw ex;
			}
			role.role = Role.FOLLOWER;
			role.asksForHandover = false;
			role.leaseUnread = true;
			// said once startup got past the checks that may still fail it (reportUnreadLease)
			role.unreadLease = ex.getMessage() + " (cause: " + rootCause(ex) + ")";
			logger.debug("Could not read {} at startup: {}", lease.location(), role.unreadLease);
			return role;
		}
		catch (RuntimeException ex) {
			LeaseKeeper.closeQuietly(store);
			throw ex;
		}
	}

	private static String rootCause(Throwable ex) {
		Throwable cause = ex;
		while (cause.getCause() != null && cause.getCause() != cause) {
			cause = cause.getCause();
		}
		return cause.toString();
	}

	/**
	 * Return whether the lease could not be read at startup (an unreachable store, rejected credentials,
	 * a missing bucket), so that this instance started as a follower that retries.
	 * @return whether the startup attempt failed
	 */
	public boolean leaseUnreadAtStartup() {
		return this.leaseUnread;
	}

	/**
	 * Log, once, that this instance started as a follower because it could not read the lease, with the
	 * cause; called when startup got past the checks that would fail it (a missing bucket, rejected
	 * credentials), so that no such line precedes a fatal start-up error. Does nothing otherwise.
	 */
	public void reportUnreadLease() {
		String unread = this.unreadLease;
		if (unread != null) {
			this.unreadLease = null;
			logger.warn("Starting as a follower of {}: {}; writes are refused (503 in a web app) until the lease can be "
					+ "taken, which is tried every {}", this.lease.location(), unread,
					HandoverRequest.checkInterval(this.lease.timing()));
		}
	}

	/**
	 * Start polling, with what carries out changes of role.
	 * @param change the role change
	 */
	public void watch(RoleChange change) {
		this.change = change;
		schedule(HandoverRequest.checkInterval(this.lease.timing()));
	}

	@Override
	public boolean isWriter() {
		LeaseKeeper current = this.keeper;
		return this.role == Role.WRITER && current != null && current.isWriter();
	}

	@Override
	public SQLException notWriter(SQLException cause) {
		LeaseKeeper current = this.keeper;
		if (this.role == Role.WRITER && current != null) {
			return current.notWriter(cause);
		}
		LeaseRecord known = this.holder;
		String holderText = (known != null) ? known.toString() : null;
		return new NotWriterException("This instance ('" + this.lease.owner() + "') is not the writer of "
				+ this.lease.location() + " (it is a " + roleName() + "); the lease is held by "
				+ ((holderText != null) ? holderText : "another instance")
				+ ". Writes go to the instance that holds the lease.", holderText, cause);
	}

	@Override
	public void whenFenced(Runnable action) {
		this.fencedActions.add(action);
	}

	/**
	 * Ask the current holder to hand over to this instance (the ops endpoint's {@code handover}).
	 * @return whether this instance is a follower that will now ask
	 */
	public boolean requestHandover() {
		if (this.role != Role.FOLLOWER || this.closed) {
			return false;
		}
		this.asksForHandover = true;
		this.tieRuled = true;
		this.firstRequestAt = null;
		this.lastRequestAt = null;
		this.thread.execute(this::tick);
		return true;
	}

	/**
	 * Return the lease and role as this instance sees them, without I/O.
	 * @return the status
	 */
	public LeaseStatus status() {
		LeaseKeeper current = this.keeper;
		LeaseRecord known = this.holder;
		if (current != null) {
			LeaseStatus kept = current.status();
			return new LeaseStatus(isWriter(), kept.owner(), kept.holder(), kept.expiresAt(), kept.generation(),
					this.pastRenewals.get() + kept.renewals(), this.pastRenewalFailures.get() + kept.renewalFailures(),
					kept.fencedReason(), kept.fencedAt(), roleName(), this.handovers.get(), this.lastHandover);
		}
		return new LeaseStatus(false, this.lease.owner(), (known != null) ? known.owner() : null,
				(known != null) ? known.expiresAt() : null, (known != null) ? known.generation() : 0,
				this.pastRenewals.get(), this.pastRenewalFailures.get(), "it does not hold the lease", null, roleName(),
				this.handovers.get(), this.lastHandover);
	}

	private String roleName() {
		Role current = this.role;
		LeaseKeeper kept = this.keeper;
		if (current == Role.WRITER && (kept == null || !kept.isWriter())) {
			return "fenced";
		}
		return current.label;
	}

	private LeaseKeeper keep(HeldLease held) {
		LeaseKeeper started = LeaseKeeper.start(this.lease, () -> {
		}, this.clock, held);
		// each on a thread of its own: the write fence of the connections must not wait for a halt
		started.whenFenced(
				() -> this.fencedActions.forEach((action) -> daemon(action, "s3lite-lease-fenced").start()));
		started.whenChanged(() -> {
			if (!this.closed) {
				this.thread.execute(this::tick);
			}
		});
		return started;
	}

	/**
	 * Return the permit of replica writes: granted while this instance holds the lease and its fencing
	 * deadline has not passed, also while it catches up before accepting writes.
	 * @return the permit
	 */
	public WritePermit replicaWritePermit() {
		return () -> {
			LeaseKeeper current = this.keeper;
			return current != null && current.mayWriteReplica();
		};
	}

	private void schedule(Duration delay) {
		if (!this.closed) {
			this.thread.schedule(this::tickAndReschedule, delay.toMillis(), TimeUnit.MILLISECONDS);
		}
	}

	private void tickAndReschedule() {
		tick();
		Instant first = this.firstRequestAt;
		boolean awaitingHandover = this.role == Role.FOLLOWER && first != null
				&& this.clock.instant().isBefore(first.plus(this.lease.timing().ttl().multipliedBy(2)));
		schedule(awaitingHandover ? FAST_POLL : HandoverRequest.checkInterval(this.lease.timing()));
	}

	private void tick() {
		try {
			if (this.closed || this.change == null) {
				return;
			}
			LeaseKeeper current = this.keeper;
			if (this.role == Role.FOLLOWER) {
				follow();
			}
			else if (this.role == Role.WRITER && current.state() == LeaseKeeper.State.LOST) {
				demote(current);
			}
			else if (this.role == Role.WRITER && current.state() == LeaseKeeper.State.RECLAIMED) {
				resumeAfterFence(current);
			}
			else if (isWriter()) {
				Optional<HandoverRequest.Pending> pending = this.requests.pendingFor(this.lease.owner());
				if (pending.isPresent()) {
					handOver(pending.get());
				}
			}
		}
		catch (Exception ex) {
			logger.warn("Lease check of {} failed, retrying: {}", this.lease.location(), ex.getMessage());
		}
	}

	private void follow() throws Exception {
		LeaseAttempt attempt = LeaseAcquisition.attempt(this.lease, this.clock);
		if (attempt instanceof LeaseAttempt.HeldElsewhere elsewhere) {
			this.holder = elsewhere.holder();
			Instant now = this.clock.instant();
			Instant last = this.lastRequestAt;
			if (this.asksForHandover && !this.tieRuled) {
				// once, for the ask at startup (a hand-over asked through the ops endpoint is always asked)
				this.asksForHandover = !startedTogetherWith(elsewhere.holder());
				this.tieRuled = true;
			}
			if (this.asksForHandover && (last == null || now.isAfter(last.plus(this.lease.timing().ttl().dividedBy(2))))) {
				if (this.requests.request(this.lease.owner())) {
					logger.info("Asked '{}' to hand over the lease {} to this instance ('{}')", elsewhere.holder().owner(),
							this.lease.location(), this.lease.owner());
				}
				this.lastRequestAt = now;
				this.firstRequestAt = (this.firstRequestAt != null) ? this.firstRequestAt : now;
			}
			return;
		}
		promote(((LeaseAttempt.Acquired) attempt).lease());
	}

	/**
	 * The tie rule of simultaneous starts: a follower asks for a hand-over only when the holder was the
	 * writer before this instance started (a rolling deploy's new instance takes over); when the holder
	 * became the writer as this one started (both started together, and it won the lease), a hand-over
	 * would only cost a no-writer window, so this instance follows it.
	 */
	private boolean startedTogetherWith(LeaseRecord holder) throws IOException {
		Optional<Instant> since = this.mark.writerSince();
		if (since.isEmpty() || since.get().isBefore(this.startedAt)) {
			return false;
		}
		logger.info("Not asking '{}' to hand over {}: it became the writer at {}, as this instance started; following "
				+ "it", holder.owner(), this.lease.location(), since.get());
		return true;
	}

	private void promote(HeldLease held) {
		long started = System.nanoTime();
		LeaseRecord previous = this.holder;
		this.keeper = keep(held);
		this.role = Role.PROMOTING;
		logger.info("Promoting to writer of {}: lease taken (generation {}); writes stay fenced while this instance "
				+ "catches up with the replica", this.lease.location(), held.record().generation());
		boolean caughtUp = this.change.startWriting(isTail()) && claim();
		long millis = (System.nanoTime() - started) / 1_000_000;
		if (caughtUp && this.keeper.isWriter() && !this.closed) {
			this.role = Role.WRITER;
			this.asksForHandover = false;
			this.firstRequestAt = null;
			this.change.resume();
			if (previous != null && this.lastRequestAt != null) {
				this.handovers.incrementAndGet();
				this.lastHandover = "from '" + previous.owner() + "' at " + this.clock.instant() + " (promoted in "
						+ millis + " ms)";
			}
			logger.info("Promoted to writer of {} in {} ms (caught up, replicating); writes are accepted",
					this.lease.location(), millis);
			return;
		}
		logger.warn("Promotion to writer of {} failed after {} ms; releasing the lease and following again",
				this.lease.location(), millis);
		LeaseKeeper failed = this.keeper;
		// replication may have started before the failure: stopped first, uploading nothing more
		this.change.abortWriting();
		retire(failed);
		this.role = Role.FOLLOWER;
		this.keeper = null;
		failed.close();
		this.change.resume();
	}

	/**
	 * The lease was re-taken after a fence (nobody wrote it meanwhile): restart replication, which ships
	 * what was committed before the fence, and accept writes again. A failure leaves writes fenced; the
	 * next poll tries again while the lease is held.
	 */
	private void resumeAfterFence(LeaseKeeper current) {
		long started = System.nanoTime();
		this.role = Role.PROMOTING;
		boolean resumed = false;
		try {
			// the lease was re-taken with the ETag this instance last wrote: nobody became the writer since,
			// so the local file is the replica's tail (no look at the mark, whose read could fail right now)
			resumed = this.change.startWriting(true) && current.resumeWriting();
		}
		finally {
			if (!resumed) {
				this.change.abortWriting();
			}
			this.role = Role.WRITER;
			this.change.resume();
		}
		if (resumed) {
			logger.info("Writing again to {} after the fence, {} ms after the lease was re-taken (replicating what was "
					+ "committed before it); writes are accepted", this.lease.location(),
					(System.nanoTime() - started) / 1_000_000);
		}
		else {
			logger.warn("Could not resume writing to {} after the fence; writes stay refused and it is tried again",
					this.lease.location());
		}
	}

	/**
	 * The lease was taken over: this instance follows the new holder. What it committed and did not
	 * upload before the fence is not part of the replica's history any more.
	 */
	private void demote(LeaseKeeper lost) {
		LeaseStatus last = lost.status();
		retire(lost);
		this.keeper = null;
		this.holder = new LeaseRecord(last.generation(), last.expiresAt(),
				(last.holder() != null) ? last.holder() : "unknown");
		this.role = Role.FOLLOWER;
		this.asksForHandover = false;
		lost.close();
		logger.warn("Following {} now: its lease was taken over by {} while this instance was fenced; reads are "
				+ "served, writes are refused", this.lease.location(), this.holder);
	}

	private void retire(LeaseKeeper retired) {
		LeaseStatus last = retired.status();
		this.pastRenewals.addAndGet(last.renewals());
		this.pastRenewalFailures.addAndGet(last.renewalFailures());
	}

	private boolean isTail() {
		try {
			return this.mark.isTail(this.change.database()) && Files.exists(this.change.database());
		}
		catch (IOException ex) {
			return false;
		}
	}

	private boolean claim() {
		try {
			this.mark.claim(this.change.database());
			return true;
		}
		catch (Exception ex) {
			logger.warn("Could not mark {} as written by this instance: {}", this.lease.location(), ex.getMessage());
			return false;
		}
	}

	private void handOver(HandoverRequest.Pending pending) throws Exception {
		long started = System.nanoTime();
		this.role = Role.HANDING_OVER;
		logger.info("Handing over the lease {} to '{}' (requested at {}): writes fenced, flushing to the replica",
				this.lease.location(), pending.requestedBy(), pending.requestedAt());
		boolean flushed = this.change.stopWriting();
		LeaseKeeper current = this.keeper;
		if (!flushed || !current.isWriter()) {
			this.role = Role.WRITER;
			this.change.resume();
			logger.warn("Hand-over of {} to '{}' aborted: {}; this instance stays the writer", this.lease.location(),
					pending.requestedBy(), flushed ? "the lease could not be kept" : "the replica could not be flushed");
			return;
		}
		WriterSeal.seal(this.mark, this.change, current, this.lease);
		retire(current);
		this.keeper = null;
		this.holder = new LeaseRecord(current.status().generation() + 1, this.clock.instant(), pending.requestedBy());
		this.role = Role.FOLLOWER;
		this.asksForHandover = false;
		current.close();
		this.requests.served(pending);
		long millis = (System.nanoTime() - started) / 1_000_000;
		this.handovers.incrementAndGet();
		this.lastHandover = "to '" + pending.requestedBy() + "' at " + this.clock.instant() + " (flushed and released in "
				+ millis + " ms)";
		this.change.resume();
		logger.info("Handed over the lease {} to '{}' in {} ms; this instance is now a follower (reads only)",
				this.lease.location(), pending.requestedBy(), millis);
	}

	/**
	 * Stop polling and, while this instance holds the lease, release it (after the pool closed and
	 * replication stopped: the context destroys this bean after them). Never throws.
	 */
	@Override
	public void close() {
		this.closed = true;
		this.thread.shutdownNow();
		try {
			this.thread.awaitTermination(10, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		LeaseKeeper current = this.keeper;
		if (current != null) {
			if (this.role == Role.WRITER) {
				WriterSeal.seal(this.mark, this.change, current, this.lease);
			}
			current.close();
		}
		LeaseKeeper.closeQuietly(this.store);
	}

	private static Thread daemon(Runnable task, String name) {
		Thread thread = new Thread(task, name);
		thread.setDaemon(true);
		return thread;
	}

	private enum Role {

		WRITER("writer"), FOLLOWER("follower"), PROMOTING("promoting"), HANDING_OVER("handing-over");

		private final String label;

		Role(String label) {
			this.label = label;
		}

	}

}
