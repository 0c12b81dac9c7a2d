package io.github.s3lite.internal.lease;

import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A follower's requests for a hand-over ({@link HandoverRequest}, added to the holder's {@code lock.json}
 * by {@link ReplicaLease#requestHandover()}): asked at most every {@code ttl/2} while this instance wants
 * the lease (a request refused because the lease was renewed meanwhile, or consumed by a holder that
 * could not hand over, is asked again), and never, under the tie rule, of a holder that became the writer
 * as this instance started.
 */
final class HandoverAsking {

	private static final Logger logger = LoggerFactory.getLogger(HandoverAsking.class);

	private final ReplicaLease lease;

	private final WriterMark mark;

	private final Clock clock;

	private final Instant startedAt;

	private volatile boolean asks;

	private volatile boolean tieRuled;

	private volatile Instant firstRequestAt;

	private volatile Instant lastRequestAt;

	HandoverAsking(ReplicaLease lease, WriterMark mark, Clock clock, Instant startedAt) {
		this.lease = lease;
		this.mark = mark;
		this.clock = clock;
		this.startedAt = startedAt;
	}

	/**
	 * Ask the holder this instance found at startup, unless the tie rule says otherwise.
	 */
	void askFromStart() {
		this.asks = true;
	}

	/**
	 * Ask now, whatever the tie rule (the ops endpoint's {@code handover}).
	 */
	void askNow() {
		this.asks = true;
		this.tieRuled = true;
		this.firstRequestAt = null;
		this.lastRequestAt = null;
	}

	/**
	 * Stop asking: this instance became the writer, handed over or follows for good.
	 */
	void stop() {
		this.asks = false;
		this.firstRequestAt = null;
	}

	/**
	 * Return whether this instance asked for the lease it then took.
	 * @return whether a request was written
	 */
	boolean asked() {
		return this.lastRequestAt != null;
	}

	/**
	 * Return whether a hand-over was asked for less than two ttls ago (poll fast meanwhile).
	 * @return whether one is awaited
	 */
	boolean awaitsHandover() {
		Instant first = this.firstRequestAt;
		return first != null && this.clock.instant().isBefore(first.plus(this.lease.timing().ttl().multipliedBy(2)));
	}

	/**
	 * Ask the holder to hand over, when this instance wants the lease and did not ask within
	 * {@code ttl/2}.
	 * @param holder the holder of the lease
	 * @throws IOException when the store cannot be read or written
	 */
	void askIfDue(LeaseRecord holder) throws IOException {
		Instant now = this.clock.instant();
		Instant last = this.lastRequestAt;
		if (this.asks && !this.tieRuled) {
			// once, for the ask at startup (a hand-over asked through the ops endpoint is always asked)
			this.asks = !startedTogetherWith(holder);
			this.tieRuled = true;
		}
		if (this.asks && (last == null || now.isAfter(last.plus(this.lease.timing().ttl().dividedBy(2))))) {
			if (this.lease.requestHandover()) {
				logger.info("Asked '{}' to hand over the lease {} to this instance ('{}')", holder.owner(),
						this.lease.location(), this.lease.owner());
			}
			this.lastRequestAt = now;
			this.firstRequestAt = (this.firstRequestAt != null) ? this.firstRequestAt : now;
		}
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

}
