package io.github.s3lite.internal.lease;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Supplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.s3lite.internal.storage.ConditionalResult;
import io.github.s3lite.internal.storage.ConditionalWritesNotSupportedException;
import io.github.s3lite.internal.storage.ReplicaStore;
import io.github.s3lite.internal.storage.VersionedObject;

/**
 * The conditional writes of {@code lock.json} and what they leave uncertain: a write whose every attempt
 * failed may still have taken effect (the client retries a request whose answer was lost; with
 * {@code Expect: 100-continue} a store that refuses the retry before reading its body makes it fail with
 * an I/O error instead of a refusal), and a refused write may be the retry of one that succeeded. The
 * content proves it: it holds this owner and an expiry to the nanosecond. Writes never confirmed are kept,
 * so that finding one later in the store is known to be this instance's own. A write of the holder is
 * also refused when a follower added a {@link HandoverRequest} to its lease: that is still its own lease,
 * written again with the ETag read. Also proves, once per acquisition, that the store evaluates
 * {@code If-Match} at all.
 */
final class LeaseWrites {

	private static final Logger logger = LoggerFactory.getLogger(LeaseWrites.class);

	private static final int MAX_REWRITES = 4;

	private static final String NEVER_MATCHES = "\"s3lite-probe-etag-that-never-matches\"";

	private final ReplicaStore store;

	private final Set<String> unconfirmed = ConcurrentHashMap.newKeySet();

	LeaseWrites(ReplicaStore store) {
		this.store = store;
	}

	boolean hasUnconfirmed() {
		return !this.unconfirmed.isEmpty();
	}

	/**
	 * Return whether content found in the store is a write of this instance never confirmed (and forget it).
	 */
	boolean confirm(byte[] content) {
		return this.unconfirmed.remove(new String(content, StandardCharsets.UTF_8));
	}

	ConditionalResult write(LeaseRecord written, ConditionalWrite write) throws IOException {
		try {
			return write.run();
		}
		catch (ConditionalWritesNotSupportedException ex) {
			throw ex;
		}
		catch (IOException ex) {
			Optional<HeldLease> survived;
			try {
				survived = ownWriteSurvived(written);
			}
			catch (IOException readFailure) {
				ex.addSuppressed(readFailure);
				survived = Optional.empty();
			}
			if (survived.isEmpty()) {
				this.unconfirmed.add(new String(written.toJson(), StandardCharsets.UTF_8));
				throw ex;
			}
			logger.debug("The write of {} failed ({}) but took effect", ReplicaLease.KEY, ex.getMessage());
			return ConditionalResult.written(survived.get().etag());
		}
	}

	private Optional<HeldLease> ownWriteSurvived(LeaseRecord written) throws IOException {
		Optional<VersionedObject> current = this.store.getVersioned(ReplicaLease.KEY);
		if (current.isPresent() && Arrays.equals(current.get().content(), written.toJson())) {
			return Optional.of(new HeldLease(written, current.get().etag()));
		}
		return Optional.empty();
	}

	/**
	 * Replace the held lease by the same lease with a new expiry, conditionally on its ETag; after a
	 * refusal, again with the ETag just read while the lease found is still this instance's own
	 * ({@link #ownLease}).
	 */
	Optional<HeldLease> rewrite(HeldLease held, String owner, Supplier<Instant> expiry,
			Consumer<HandoverRequest> requests) throws IOException {
		HeldLease current = held;
		for (int attempt = 1; attempt <= MAX_REWRITES; attempt++) {
			LeaseRecord next = new LeaseRecord(current.record().generation(), expiry.get(), owner);
			String etag = current.etag();
			ConditionalResult result = write(next, () -> this.store.replaceIfMatch(ReplicaLease.KEY, next.toJson(), etag));
			if (result.applied()) {
				return Optional.of(new HeldLease(next, result.etag()));
			}
			Optional<OwnLease> own = ownLease(next, current.record());
			if (own.isEmpty()) {
				return Optional.empty();
			}
			own.get().request().filter((request) -> !request.requestedBy().equals(owner)).ifPresent(requests);
			if (own.get().written()) {
				return Optional.of(own.get().lease());
			}
			if (own.get().request().isEmpty()) {
				logger.info("{} holds a write by this instance whose answers were lost; writing it again", location());
			}
			else {
				logger.debug("{} holds this instance's lease with a hand-over request of '{}'; writing it again",
						location(), own.get().request().get().requestedBy());
			}
			current = own.get().lease();
		}
		throw new IOException(location() + " changed " + MAX_REWRITES + " times while this instance wrote its lease");
	}

	private String location() {
		return this.store.location() + "/" + ReplicaLease.KEY;
	}

	/**
	 * Read the lease after a conditional write of its holder was refused, and return it when it is still
	 * the holder's own, with the ETag just read: the write itself (a retry of it was refused), a write of
	 * this instance never confirmed, or the lease held ({@code held}) with a follower's
	 * {@link HandoverRequest} added. Own means the generation, expiry (to the nanosecond) and owner equal
	 * such a lease of this instance: only a copy of it can carry them. Empty when it is somebody else's.
	 */
	Optional<OwnLease> ownLease(LeaseRecord written, LeaseRecord held) throws IOException {
		Optional<VersionedObject> current = this.store.getVersioned(ReplicaLease.KEY);
		if (current.isEmpty()) {
			return Optional.empty();
		}
		LeaseRecord stored;
		try {
			stored = LeaseRecord.parse(current.get().content());
		}
		catch (IllegalArgumentException ex) {
			return Optional.empty();
		}
		Optional<HandoverRequest> request = HandoverRequest.in(current.get().content());
		HeldLease found = new HeldLease(stored, current.get().etag());
		if (stored.equals(written)) {
			return Optional.of(new OwnLease(found, true, request));
		}
		if ((request.isPresent() && stored.equals(held)) || confirm(stored.toJson())) {
			return Optional.of(new OwnLease(found, false, request));
		}
		return Optional.empty();
	}

	/**
	 * Prove that the store evaluates {@code If-Match}: a write with an ETag that never matches must be
	 * refused. One request per acquisition; a provider that ignores conditions would let two instances
	 * both believe they hold the lease.
	 */
	HeldLease probeConditionalWrites(HeldLease held) throws IOException {
		ConditionalResult probe = this.store.replaceIfMatch(ReplicaLease.KEY, held.record().toJson(), NEVER_MATCHES);
		if (probe.applied()) {
			throw new ConditionalWritesNotSupportedException(this.store.location() + " accepted a PUT of "
					+ ReplicaLease.KEY + " whose If-Match header matched nothing: it ignores conditional writes", null);
		}
		return held;
	}

	/**
	 * A holder's own lease found after a refused write.
	 *
	 * @param lease the lease, with the ETag just read
	 * @param written whether it is the refused write itself, which took effect
	 * @param request the hand-over request a follower added to it, if any
	 */
	record OwnLease(HeldLease lease, boolean written, Optional<HandoverRequest> request) {

	}

	/**
	 * One conditional write of the lease.
	 */
	@FunctionalInterface
	interface ConditionalWrite {

		ConditionalResult run() throws IOException;

	}

}
