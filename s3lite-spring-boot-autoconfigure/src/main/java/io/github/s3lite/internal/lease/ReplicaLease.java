package io.github.s3lite.internal.lease;

import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.s3lite.internal.storage.ConditionalResult;
import io.github.s3lite.internal.storage.ConditionalWritesNotSupportedException;
import io.github.s3lite.internal.storage.ReplicaStore;
import io.github.s3lite.internal.storage.VersionedObject;

/**
 * The lease protocol on {@code <replica>/lock.json}, through the conditional writes of a
 * {@link ReplicaStore}:
 * <ul>
 * <li>acquire: read; absent: create with {@code If-None-Match: *} and generation 1; expired: replace
 * with {@code If-Match: <its ETag>} and generation + 1; live: held elsewhere. A refused precondition
 * means another instance won;</li>
 * <li>renew: replace with {@code If-Match: <held ETag>}; refused means the lease was lost, unless it
 * still holds this instance's lease with a follower's hand-over request added;</li>
 * <li>release: replace with {@code If-Match: <held ETag>} by the lease expired, never a delete;</li>
 * <li>ask for a hand-over (a follower): add a {@link HandoverRequest} to the live lease of another
 * owner with {@code If-Match: <its ETag>}.</li>
 * </ul>
 * Decisions rest on ETags; the content only tells this instance's own lease (its owner, generation and an
 * expiry to the nanosecond) after a refusal or a lost answer. Thread-safe; the only state is the leases
 * this instance wrote without learning whether the write took effect (every attempt failed), so that
 * finding one of them in the store later is known to be its own lease.
 */
public final class ReplicaLease {

	private static final Logger logger = LoggerFactory.getLogger(ReplicaLease.class);

	/** The key of the lease object, relative to the replica. */
	public static final String KEY = "lock.json";

	private final ReplicaStore store;

	private final String owner;

	private final LeaseTiming timing;

	private final Clock clock;

	private final LeaseWrites writes;

	/**
	 * Create the protocol.
	 * @param store the replica's store
	 * @param owner the name this instance writes as owner
	 * @param timing the timing
	 * @param clock the clock that stamps expiries and judges them
	 */
	public ReplicaLease(ReplicaStore store, String owner, LeaseTiming timing, Clock clock) {
		this.store = store;
		this.owner = owner;
		this.timing = timing;
		this.clock = clock;
		this.writes = new LeaseWrites(store);
	}

	/**
	 * Return whether this instance wrote a lease without learning whether the write took effect.
	 * @return {@code true} while such a write is not found or ruled out
	 */
	public boolean hasUnconfirmedWrite() {
		return this.writes.hasUnconfirmed();
	}

	/**
	 * Try to take the lease.
	 * @return the held lease, or who holds it
	 * @throws ConditionalWritesNotSupportedException if the store refuses, or ignores, conditional writes
	 * @throws IOException on a storage error or an unreadable {@code lock.json}
	 */
	public LeaseAttempt acquire() throws IOException {
		// judged with the time before the read (conservative); the new expiry is stamped after it
		Instant now = this.clock.instant();
		Optional<VersionedObject> current = this.store.getVersioned(KEY);
		if (current.isEmpty()) {
			LeaseRecord created = new LeaseRecord(1, this.timing.expiresAt(this.clock.instant()), this.owner);
			return outcome(created, this.writes.write(created, () -> this.store.createIfAbsent(KEY, created.toJson())), now);
		}
		LeaseRecord existing = parse(current.get());
		if (!existing.isExpiredAt(now)) {
			// a write of this instance never confirmed, possibly with a follower's hand-over request added
			if (this.writes.confirm(existing.toJson())) {
				logger.info("{} holds the lease this instance wrote in an earlier attempt whose answers were lost",
						location());
				return new LeaseAttempt.Acquired(
						this.writes.probeConditionalWrites(new HeldLease(existing, current.get().etag())));
			}
			return new LeaseAttempt.HeldElsewhere(existing);
		}
		LeaseRecord takeover = new LeaseRecord(existing.generation() + 1, this.timing.expiresAt(this.clock.instant()),
				this.owner);
		return outcome(takeover,
				this.writes.write(takeover, () -> this.store.replaceIfMatch(KEY, takeover.toJson(), current.get().etag())), now);
	}

	private LeaseAttempt outcome(LeaseRecord written, ConditionalResult result, Instant now) throws IOException {
		if (result.preconditionHasFailed()) {
			Optional<HeldLease> survived = this.writes.ownLease(written, written).map(LeaseWrites.OwnLease::lease);
			if (survived.isEmpty()) {
				return new LeaseAttempt.HeldElsewhere(
						readHolder().orElse(new LeaseRecord(0, now, "unknown (it won the race and already released)")));
			}
			return new LeaseAttempt.Acquired(this.writes.probeConditionalWrites(survived.get()));
		}
		return new LeaseAttempt.Acquired(this.writes.probeConditionalWrites(new HeldLease(written, result.etag())));
	}

	/**
	 * Renew a held lease for another ttl.
	 * @param held the lease as last written by this instance
	 * @return the renewed lease, or empty when it was lost (the object changed or is gone)
	 * @throws IOException on a storage error; the lease may or may not have been renewed
	 */
	public Optional<HeldLease> renew(HeldLease held) throws IOException {
		return renew(held, (request) -> {
		});
	}

	/**
	 * Renew a held lease for another ttl. A refusal caused by a follower's {@link HandoverRequest} on the
	 * lease held (or by a write of this instance whose answers were lost) is not a loss: the lease is
	 * renewed over it with the ETag just read, which consumes the request, and the request is passed on.
	 * @param held the lease as last written by this instance
	 * @param requests receives a hand-over request of another owner found on the lease
	 * @return the renewed lease, or empty when it was lost (the object changed or is gone)
	 * @throws IOException on a storage error; the lease may or may not have been renewed
	 */
	public Optional<HeldLease> renew(HeldLease held, Consumer<HandoverRequest> requests) throws IOException {
		return this.writes.rewrite(held, this.owner, () -> this.timing.expiresAt(this.clock.instant()), requests);
	}

	/**
	 * Release a held lease so that a successor need not wait for its expiry: replace it, with
	 * {@code If-Match: <held ETag>}, by the same lease expired one ttl ago, also over a hand-over request
	 * a follower added to it. Never a delete: the conditional PUT is what the acquisition proved the store
	 * evaluates (some providers ignore {@code If-Match} on DELETE, which would delete a successor's lease),
	 * and the generation keeps counting across releases.
	 * @param held the lease as last written by this instance
	 * @return whether it was released; {@code false} when it had already changed hands
	 * @throws IOException on a storage error
	 */
	public boolean release(HeldLease held) throws IOException {
		return this.writes.rewrite(held, this.owner, () -> this.clock.instant().minus(this.timing.ttl()), (request) -> {
		}).isPresent();
	}

	/**
	 * Ask the holder of a live lease to hand it over to this instance, in {@code lock.json} itself: the
	 * lease as read, byte for byte, with this instance's {@link HandoverRequest} added, written with
	 * {@code If-Match: <its ETag>}, so that the holder finds the request at its next renewal. Nothing is
	 * written when the lease is absent, expired, this instance's, or already carries a request; a refusal
	 * (the lease was renewed, released or taken meanwhile) is left to the next ask.
	 * @return whether this call wrote the request
	 * @throws IOException on a storage error or an unreadable {@code lock.json}
	 */
	public boolean requestHandover() throws IOException {
		Optional<VersionedObject> current = this.store.getVersioned(KEY);
		if (current.isEmpty() || HandoverRequest.in(current.get().content()).isPresent()) {
			return false;
		}
		LeaseRecord holder = parse(current.get());
		if (holder.isExpiredAt(this.clock.instant()) || holder.owner().equals(this.owner)) {
			return false;
		}
		byte[] asked = new HandoverRequest(this.owner, this.clock.instant()).addTo(current.get().content());
		if (this.store.replaceIfMatch(KEY, asked, current.get().etag()).applied()) {
			return true;
		}
		// the client's retry of a request whose answer was lost is refused because of that request
		Optional<VersionedObject> after = this.store.getVersioned(KEY);
		return after.isPresent() && Arrays.equals(after.get().content(), asked);
	}

	/**
	 * Read the lease as it is in the store.
	 * @return the lease, or empty when there is none or it is unreadable
	 * @throws IOException on a storage error
	 */
	public Optional<LeaseRecord> readHolder() throws IOException {
		Optional<VersionedObject> current = this.store.getVersioned(KEY);
		if (current.isEmpty()) {
			return Optional.empty();
		}
		try {
			return Optional.of(LeaseRecord.parse(current.get().content()));
		}
		catch (IllegalArgumentException ex) {
			return Optional.empty();
		}
	}

	/**
	 * Return where the lease lives, for messages.
	 * @return e.g. {@code s3://bucket/prefix/lock.json}
	 */
	public String location() {
		return this.store.location() + "/" + KEY;
	}

	/**
	 * Return the name this instance writes as owner.
	 * @return the owner
	 */
	public String owner() {
		return this.owner;
	}

	/**
	 * Return the timing.
	 * @return the timing
	 */
	public LeaseTiming timing() {
		return this.timing;
	}

	private LeaseRecord parse(VersionedObject object) throws IOException {
		try {
			return LeaseRecord.parse(object.content());
		}
		catch (IllegalArgumentException ex) {
			throw new IOException(location() + " is not a lease (" + ex.getMessage()
					+ "); delete it if no instance is running", ex);
		}
	}

}
