package io.github.s3lite.internal.lease;

import java.time.Clock;
import java.time.Instant;

/**
 * What a {@link LeaseKeeper} knows of its lease, changed atomically: the {@link LeaseHold}, the fencing
 * deadline of its last successful write, the holder it learned of when the lease was taken over, and
 * whether the keeper closed (after which nothing changes).
 */
final class HoldState {

	private final Clock clock;

	private volatile LeaseHold hold = LeaseHold.WRITING;

	private volatile Instant writerUntil;

	private volatile LeaseRecord knownHolder;

	private volatile boolean closed;

	HoldState(Clock clock, Instant writerUntil) {
		this.clock = clock;
		this.writerUntil = writerUntil;
	}

	LeaseHold hold() {
		return this.hold;
	}

	Instant writerUntil() {
		return this.writerUntil;
	}

	LeaseRecord knownHolder() {
		return this.knownHolder;
	}

	boolean closed() {
		return this.closed;
	}

	/**
	 * Return whether replica writes may start: held, not closed, before the fencing deadline.
	 */
	boolean mayWriteReplica() {
		LeaseHold current = this.hold;
		return !this.closed && (current == LeaseHold.WRITING || current == LeaseHold.RECLAIMED)
				&& this.clock.instant().isBefore(this.writerUntil);
	}

	/**
	 * From {@link LeaseHold#RECLAIMED} (and before the deadline), write again.
	 */
	synchronized boolean resumeWriting() {
		if (this.hold != LeaseHold.RECLAIMED || this.closed || !this.clock.instant().isBefore(this.writerUntil)) {
			return false;
		}
		this.hold = LeaseHold.WRITING;
		return true;
	}

	/**
	 * A renewal (or re-take) succeeded: extend the deadline, and a fenced lease is reclaimed.
	 * @return whether it counted (the keeper had not closed)
	 */
	synchronized boolean renewed(Instant newWriterUntil, boolean wasFenced) {
		if (this.closed) {
			return false;
		}
		this.writerUntil = newWriterUntil;
		if (wasFenced && this.hold == LeaseHold.FENCED) {
			this.hold = LeaseHold.RECLAIMED;
		}
		return true;
	}

	/**
	 * Fenced ({@link LeaseHold#FENCED}) or lost ({@link LeaseHold#LOST}).
	 * @return the hold before, or {@code null} when the keeper had closed (nothing changed)
	 */
	synchronized LeaseHold fence(LeaseHold next, LeaseRecord holder) {
		if (this.closed) {
			return null;
		}
		LeaseHold previous = this.hold;
		this.hold = next;
		if (holder != null) {
			this.knownHolder = holder;
		}
		return previous;
	}

	/**
	 * @return whether this call closed it (it was open)
	 */
	synchronized boolean close() {
		boolean wasOpen = !this.closed;
		this.closed = true;
		return wasOpen;
	}

}
