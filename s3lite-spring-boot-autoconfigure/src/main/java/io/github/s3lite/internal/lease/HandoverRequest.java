package io.github.s3lite.internal.lease;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.github.s3lite.internal.storage.ReplicaStore;
import io.github.s3lite.internal.storage.VersionedObject;

/**
 * The hand-over request on {@code <replica>/lock-handover.json}: {@code {"requested_by": "<owner>",
 * "requested_at": "<RFC 3339>"}}. A follower writes it (create with {@code If-None-Match: *}, or
 * replace a request older than its refresh period with {@code If-Match}); the holder reads it every
 * {@link #checkInterval(LeaseTiming)} and, for a fresh request of another owner, hands the lease over
 * and deletes the request. A request older than two ttls is stale: its follower is gone.
 */
public final class HandoverRequest {

	/** The key of the request object, relative to the replica. */
	public static final String KEY = "lock-handover.json";

	private static final Pattern BY = Pattern.compile("\"requested_by\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");

	private static final Pattern AT = Pattern.compile("\"requested_at\"\\s*:\\s*\"([^\"]*)\"");

	private final ReplicaStore store;

	private final LeaseTiming timing;

	private final Clock clock;

	/**
	 * Create the protocol.
	 * @param store the replica's store
	 * @param timing the lease timing, whose ttl bounds a request's life
	 * @param clock the clock
	 */
	public HandoverRequest(ReplicaStore store, LeaseTiming timing, Clock clock) {
		this.store = store;
		this.timing = timing;
		this.clock = clock;
	}

	/**
	 * Return how often a holder looks for a request and a follower for a free lease: {@code ttl/6},
	 * at most 5s (5s for the default 30s: 17,280 GET requests a day).
	 * @param timing the lease timing
	 * @return the interval
	 */
	public static Duration checkInterval(LeaseTiming timing) {
		Duration sixth = timing.ttl().dividedBy(6);
		return (sixth.compareTo(Duration.ofSeconds(5)) < 0) ? sixth : Duration.ofSeconds(5);
	}

	/**
	 * Ask the holder to hand over to an owner, unless a fresh request of that owner is already there.
	 * @param owner the follower asking
	 * @return whether a request was written
	 * @throws IOException on a storage error
	 */
	public boolean request(String owner) throws IOException {
		Optional<VersionedObject> current = this.store.getVersioned(KEY);
		byte[] content = ("{\"requested_by\":\"" + owner.replace("\\", "\\\\").replace("\"", "\\\"")
				+ "\",\"requested_at\":\"" + this.clock.instant() + "\"}")
			.getBytes(StandardCharsets.UTF_8);
		if (current.isEmpty()) {
			return this.store.createIfAbsent(KEY, content).applied();
		}
		Optional<Pending> pending = parse(current.get());
		boolean fresh = pending.isPresent() && pending.get().requestedAt()
			.isAfter(this.clock.instant().minus(this.timing.ttl()));
		if (fresh && pending.get().requestedBy().equals(owner)) {
			return false;
		}
		if (fresh) {
			// another follower asked first and recently; it may take over
			return false;
		}
		return this.store.replaceIfMatch(KEY, content, current.get().etag()).applied();
	}

	/**
	 * Return a fresh request of another owner, deleting a stale one.
	 * @param self the holder, whose own stale requests are ignored
	 * @return the pending request, or empty
	 * @throws IOException on a storage error
	 */
	public Optional<Pending> pendingFor(String self) throws IOException {
		Optional<VersionedObject> current = this.store.getVersioned(KEY);
		if (current.isEmpty()) {
			return Optional.empty();
		}
		Optional<Pending> pending = parse(current.get());
		Instant staleBefore = this.clock.instant().minus(this.timing.ttl().multipliedBy(2));
		if (pending.isEmpty() || pending.get().requestedAt().isBefore(staleBefore)
				|| pending.get().requestedBy().equals(self)) {
			this.store.deleteIfMatch(KEY, current.get().etag());
			return Optional.empty();
		}
		return pending;
	}

	/**
	 * Delete a request that has been served.
	 * @param pending the request
	 * @throws IOException on a storage error
	 */
	public void served(Pending pending) throws IOException {
		this.store.deleteIfMatch(KEY, pending.etag());
	}

	private static Optional<Pending> parse(VersionedObject object) {
		String json = new String(object.content(), StandardCharsets.UTF_8);
		Matcher by = BY.matcher(json);
		Matcher at = AT.matcher(json);
		if (!by.find() || !at.find()) {
			return Optional.empty();
		}
		try {
			return Optional.of(new Pending(by.group(1).replace("\\\"", "\"").replace("\\\\", "\\"),
					Instant.parse(at.group(1)), object.etag()));
		}
		catch (DateTimeParseException ex) {
			return Optional.empty();
		}
	}

	/**
	 * A request as read from the store.
	 *
	 * @param requestedBy the follower that asked
	 * @param requestedAt when it asked
	 * @param etag the request's ETag
	 */
	public record Pending(String requestedBy, Instant requestedAt, String etag) {

	}

}
