package io.github.s3lite.lease;

import java.sql.SQLException;
import java.time.Clock;
import java.time.Instant;

import io.github.s3lite.datasource.WriteGate;

/**
 * The writer state of this instance, answered from memory: the writer until the fencing deadline of
 * its last successful lease write ({@code expires_at - ttl/6}), unless fenced earlier. The deadline is
 * judged by the clock at every question, so fencing by time needs no thread to wake up: a holder whose
 * renewals hang stops writing at the deadline all the same.
 */
final class LeaseWriteGate implements WriteGate {

	private final Clock clock;

	private final String replica;

	private volatile Instant writerUntil;

	private volatile String fencedReason;

	private volatile LeaseRecord knownHolder;

	private volatile Instant fencedAt;

	LeaseWriteGate(Clock clock, String replica, Instant writerUntil) {
		this.clock = clock;
		this.replica = replica;
		this.writerUntil = writerUntil;
	}

	@Override
	public boolean isWriter() {
		return this.fencedReason == null && this.clock.instant().isBefore(this.writerUntil);
	}

	Instant writerUntil() {
		return this.writerUntil;
	}

	void extend(Instant writerUntil) {
		this.writerUntil = writerUntil;
	}

	void fence(String reason, LeaseRecord holder) {
		if (holder != null) {
			this.knownHolder = holder;
		}
		if (this.fencedReason == null) {
			Instant now = this.clock.instant();
			this.fencedAt = now.isBefore(this.writerUntil) ? now : this.writerUntil;
		}
		this.fencedReason = reason;
	}

	/**
	 * Let this instance write again until a new deadline: it holds the lease again (re-taken with the
	 * ETag it last wrote, so nobody held it in between).
	 */
	void unfence(Instant writerUntil) {
		this.writerUntil = writerUntil;
		this.fencedAt = null;
		this.fencedReason = null;
	}

	/**
	 * Return whether the fencing deadline has not passed (whatever the fenced state).
	 */
	boolean beforeDeadline() {
		return this.clock.instant().isBefore(this.writerUntil);
	}

	/**
	 * Return when this instance stopped being the writer: when it was fenced, or its deadline if that
	 * came first; {@code null} while it is the writer.
	 */
	Instant fencedAt() {
		if (this.fencedAt != null) {
			return this.fencedAt;
		}
		return isWriter() ? null : this.writerUntil;
	}

	LeaseRecord knownHolder() {
		return this.knownHolder;
	}

	String reason() {
		String reason = this.fencedReason;
		return (reason != null) ? reason : "its lease was not renewed by " + this.writerUntil;
	}

	@Override
	public SQLException notWriter(SQLException cause) {
		LeaseRecord holder = this.knownHolder;
		String holderText = (holder != null) ? holder.toString() : null;
		return new NotWriterException("This instance is not the writer of " + this.replica + " (" + reason()
				+ "); the lease is held by " + ((holderText != null) ? holderText : "an unknown instance")
				+ ". Writes go to the instance that holds the lease.", holderText, cause);
	}

}
