package io.github.s3lite.internal.lease;

import java.io.IOException;
import java.time.Clock;
import java.time.Instant;
import java.util.Optional;

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
 * <li>renew: replace with {@code If-Match: <held ETag>}; refused means the lease was lost;</li>
 * <li>release: replace with {@code If-Match: <held ETag>} by the lease expired, never a delete.</li>
 * </ul>
 * Decisions rest on ETags only; the owner is for messages. Thread-safe; the only state is the leases
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
			if (this.writes.confirm(current.get().content())) {
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
			Optional<HeldLease> survived = this.writes.ownWriteSurvived(written);
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
		LeaseRecord renewed = new LeaseRecord(held.record().generation(), this.timing.expiresAt(this.clock.instant()),
				this.owner);
		ConditionalResult result = this.writes.write(renewed,
				() -> this.store.replaceIfMatch(KEY, renewed.toJson(), held.etag()));
		if (result.applied()) {
			return Optional.of(new HeldLease(renewed, result.etag()));
		}
		Optional<HeldLease> survived = this.writes.ownWriteSurvived(renewed);
		if (survived.isPresent()) {
			return survived;
		}
		// an earlier renewal whose answers were lost (a partition, a timed-out request) may have taken effect:
		// the lease then holds that write of this instance, with an ETag it never learnt; renew that one
		Optional<VersionedObject> current = this.store.getVersioned(KEY);
		if (current.isPresent() && this.writes.confirm(current.get().content())) {
			logger.info("{} holds a renewal by this instance whose answers were lost; renewing it", location());
			return renew(new HeldLease(parse(current.get()), current.get().etag()));
		}
		return Optional.empty();
	}

	/**
	 * Release a held lease so that a successor need not wait for its expiry: replace it, with
	 * {@code If-Match: <held ETag>}, by the same lease expired one ttl ago. Never a delete: the
	 * conditional PUT is what the acquisition proved the store evaluates (some providers ignore
	 * {@code If-Match} on DELETE, which would delete a successor's lease), and the generation keeps
	 * counting across releases.
	 * @param held the lease as last written by this instance
	 * @return whether it was released; {@code false} when it had already changed hands
	 * @throws IOException on a storage error
	 */
	public boolean release(HeldLease held) throws IOException {
		LeaseRecord released = new LeaseRecord(held.record().generation(),
				this.clock.instant().minus(this.timing.ttl()), this.owner);
		ConditionalResult result = this.writes.write(released,
				() -> this.store.replaceIfMatch(KEY, released.toJson(), held.etag()));
		return result.applied() || this.writes.ownWriteSurvived(released).isPresent();
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
