package io.github.s3lite.internal.lease;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

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
 * so that finding one later in the store is known to be this instance's own. Also proves, once per
 * acquisition, that the store evaluates {@code If-Match} at all.
 */
final class LeaseWrites {

	private static final Logger logger = LoggerFactory.getLogger(LeaseWrites.class);

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

	Optional<HeldLease> ownWriteSurvived(LeaseRecord written) throws IOException {
		Optional<VersionedObject> current = this.store.getVersioned(ReplicaLease.KEY);
		if (current.isPresent() && Arrays.equals(current.get().content(), written.toJson())) {
			return Optional.of(new HeldLease(written, current.get().etag()));
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
	 * One conditional write of the lease.
	 */
	@FunctionalInterface
	interface ConditionalWrite {

		ConditionalResult run() throws IOException;

	}

}
