package io.github.s3lite.internal.lifecycle;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.s3lite.internal.datasource.WriteGate;
import io.github.s3lite.replication.NotWriterException;

/**
 * The life of one replicated database, and the one answer to "may this instance write now": only in
 * {@link LifecycleState#WRITING}, and, with the single-writer lease, only before the fencing deadline
 * of the lease's last successful write ({@code expires_at - ttl/6}), judged by the clock at every
 * question so that fencing by time needs no thread to wake up. Every change of state goes through
 * {@link #moveTo} or {@link #moveFrom}, which refuse a transition {@link LifecycleState#canMoveTo} does
 * not allow; the last transitions are kept for the ops endpoint. It is the {@link WriteGate} of
 * s3lite's connections. Entering {@link LifecycleState#FENCED} runs the actions registered with
 * {@link #whenFenced} (halting replication), each on a thread of its own.
 */
public final class DatabaseLifecycle implements WriteGate {

	private static final Logger logger = LoggerFactory.getLogger(DatabaseLifecycle.class);

	private final Clock clock;

	private final String replica;

	private final String owner;

	private final TransitionHistory history = new TransitionHistory(20);

	private final List<Runnable> fencedActions = new CopyOnWriteArrayList<>();

	private volatile LifecycleState state = LifecycleState.STARTING;

	private volatile Instant since;

	private volatile String reason = "it is starting";

	private volatile Instant writerUntil = Instant.MAX;

	private volatile Instant fencedAt;

	private volatile String holder;

	/**
	 * Create the lifecycle of a database, {@link LifecycleState#STARTING}.
	 * @param clock the clock of the fencing deadline
	 * @param replica the replica it writes to (or the database, without one), for messages
	 * @param owner the name of this instance on the lease, {@code null} without the lease
	 */
	public DatabaseLifecycle(Clock clock, String replica, String owner) {
		this.clock = clock;
		this.replica = replica;
		this.owner = owner;
		this.since = clock.instant();
	}

	@Override
	public boolean isWriter() {
		return this.state == LifecycleState.WRITING && this.clock.instant().isBefore(this.writerUntil);
	}

	/**
	 * Return the state, {@link LifecycleState#FENCED} for a writer whose fencing deadline passed before
	 * the lease's thread noticed.
	 * @return the state
	 */
	public LifecycleState state() {
		LifecycleState current = this.state;
		return (current == LifecycleState.WRITING && !beforeDeadline()) ? LifecycleState.FENCED : current;
	}

	/**
	 * Return when the current state was entered.
	 * @return the instant
	 */
	public Instant since() {
		return this.since;
	}

	/**
	 * Move to another state.
	 * @param next the state to enter
	 * @param why why, in words
	 * @throws IllegalStateException when the current state may not move to {@code next}
	 */
	public synchronized void moveTo(LifecycleState next, String why) {
		if (!this.state.canMoveTo(next)) {
			throw new IllegalStateException("The database of " + this.replica + " cannot move from " + this.state
					+ " to " + next + " (" + why + ")");
		}
		enter(next, why);
	}

	/**
	 * Move to another state only from an expected one: a change that raced with another (a fence while
	 * promoting) leaves the state the other one set.
	 * @param expected the state the move starts from
	 * @param next the state to enter
	 * @param why why, in words
	 * @return whether the state was {@code expected} and is now {@code next}
	 */
	public synchronized boolean moveFrom(LifecycleState expected, LifecycleState next, String why) {
		if (this.state != expected) {
			return false;
		}
		moveTo(next, why);
		return true;
	}

	/**
	 * Fence this instance: from {@link LifecycleState#WRITING}, {@link LifecycleState#PROMOTING} or
	 * {@link LifecycleState#HANDING_OVER}, enter {@link LifecycleState#FENCED} and run the fenced
	 * actions; in any other state only remember the reason and the holder.
	 * @param why why, in words
	 * @param knownHolder the lease's holder when known, else {@code null}
	 */
	public void fence(String why, String knownHolder) {
		boolean entered;
		synchronized (this) {
			if (knownHolder != null) {
				this.holder = knownHolder;
			}
			LifecycleState current = this.state;
			entered = current == LifecycleState.WRITING || current == LifecycleState.PROMOTING
					|| current == LifecycleState.HANDING_OVER;
			if (entered) {
				Instant now = this.clock.instant();
				enter(LifecycleState.FENCED, why);
				this.fencedAt = now.isBefore(this.writerUntil) ? now : this.writerUntil;
			}
			else if (current == LifecycleState.FENCED) {
				this.reason = why;
			}
		}
		if (entered) {
			this.fencedActions.forEach((action) -> {
				Thread thread = new Thread(action, "s3lite-fenced");
				thread.setDaemon(true);
				thread.start();
			});
		}
	}

	private void enter(LifecycleState next, String why) {
		LifecycleState previous = this.state;
		Instant now = this.clock.instant();
		this.state = next;
		this.since = now;
		this.reason = why;
		if (next != LifecycleState.FENCED) {
			this.fencedAt = null;
		}
		this.history.add(new LifecycleTransition(previous, next, now, why));
		logger.debug("{}: {} -> {} ({})", this.replica, previous, next, why);
	}

	/**
	 * Set the fencing deadline: the lease's last successful write expires at {@code deadline + ttl/6}.
	 * @param deadline until when this instance may write
	 */
	public void writeUntil(Instant deadline) {
		this.writerUntil = deadline;
	}

	/**
	 * Return the fencing deadline, {@link Instant#MAX} without the lease.
	 * @return the deadline
	 */
	public Instant writerUntil() {
		return this.writerUntil;
	}

	/**
	 * Return whether the fencing deadline has not passed, whatever the state.
	 * @return whether it is still ahead
	 */
	public boolean beforeDeadline() {
		return this.clock.instant().isBefore(this.writerUntil);
	}

	/**
	 * Remember who holds the lease, as far as this instance knows.
	 * @param knownHolder the holder, in words
	 */
	public void holder(String knownHolder) {
		this.holder = knownHolder;
	}

	/**
	 * Return why this instance does not write, {@code null} while it does.
	 * @return the reason
	 */
	public String notWritingReason() {
		if (isWriter()) {
			return null;
		}
		LifecycleState current = this.state;
		if (current == LifecycleState.WRITING) {
			return "its lease was not renewed by " + this.writerUntil;
		}
		return (current == LifecycleState.FENCED) ? this.reason : "it is " + article(current) + current.label();
	}

	private static String article(LifecycleState state) {
		return (state == LifecycleState.FOLLOWING) ? "a " : "";
	}

	/**
	 * Return when this instance stopped writing because it was fenced (its deadline, when that came
	 * first); {@code null} when it was not fenced.
	 * @return the instant
	 */
	public Instant fencedAt() {
		Instant at = this.fencedAt;
		if (at != null || this.state != LifecycleState.WRITING) {
			return at;
		}
		return beforeDeadline() ? null : this.writerUntil;
	}

	/**
	 * Return the last transitions, oldest first.
	 * @return at most the last 20 transitions
	 */
	public List<LifecycleTransition> history() {
		return this.history.list();
	}

	@Override
	public SQLException notWriter(SQLException cause) {
		String known = this.holder;
		String who = (this.owner != null) ? "This instance ('" + this.owner + "')" : "This instance";
		return new NotWriterException(who + " is not the writer of " + this.replica + " (" + notWritingReason()
				+ "); the lease is held by " + ((known != null) ? known : "another instance")
				+ ". Writes go to the instance that holds the lease.", known, cause);
	}

	@Override
	public void whenFenced(Runnable action) {
		this.fencedActions.add(action);
	}

	/**
	 * Enter {@link LifecycleState#STOPPED}, when not there yet: the application context closed.
	 */
	public synchronized void stop() {
		if (this.state != LifecycleState.STOPPED) {
			enter(LifecycleState.STOPPED, "the application context closed");
		}
	}

	@Override
	public String toString() {
		return "DatabaseLifecycle[" + this.replica + ": " + state() + "]";
	}

}
