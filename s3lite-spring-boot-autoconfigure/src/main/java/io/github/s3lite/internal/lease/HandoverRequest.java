package io.github.s3lite.internal.lease;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A follower's request that the holder hand the lease over, carried in {@code lock.json} itself: the
 * holder's lease as the follower read it, byte for byte, with {@code "handover_requested_by"} and
 * {@code "handover_requested_at"} added ({@link ReplicaLease#requestHandover()}). The holder finds it when
 * its next renewal is refused, and consumes it by renewing ({@link ReplicaLease#renew(HeldLease,
 * java.util.function.Consumer)}). A request older than two ttls is stale: its follower is gone.
 *
 * @param requestedBy the follower that asked
 * @param requestedAt when it asked, by its clock
 */
public record HandoverRequest(String requestedBy, Instant requestedAt) {

	private static final Pattern BY = Pattern.compile("\"handover_requested_by\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");

	private static final Pattern AT = Pattern.compile("\"handover_requested_at\"\\s*:\\s*\"([^\"]*)\"");

	/**
	 * Return the request a lease carries, if any.
	 * @param lease the content of {@code lock.json}
	 * @return the request, or empty when there is none (or it is unreadable)
	 */
	public static Optional<HandoverRequest> in(byte[] lease) {
		String json = new String(lease, StandardCharsets.UTF_8);
		Matcher by = BY.matcher(json);
		Matcher at = AT.matcher(json);
		if (!by.find() || !at.find()) {
			return Optional.empty();
		}
		try {
			return Optional.of(new HandoverRequest(LeaseRecord.unescape(by.group(1)), Instant.parse(at.group(1))));
		}
		catch (DateTimeParseException ex) {
			return Optional.empty();
		}
	}

	/**
	 * Return a lease with this request added before its closing brace, every byte before it unchanged.
	 * @param lease the content of {@code lock.json} as read
	 * @return the content to write
	 */
	byte[] addTo(byte[] lease) {
		String json = new String(lease, StandardCharsets.UTF_8);
		int end = json.lastIndexOf('}');
		if (end < 0) {
			throw new IllegalArgumentException("not a JSON object: " + json);
		}
		return (json.substring(0, end) + ",\"handover_requested_by\":\"" + LeaseRecord.escape(this.requestedBy)
				+ "\",\"handover_requested_at\":\"" + DateTimeFormatter.ISO_INSTANT.format(this.requestedAt) + "\""
				+ json.substring(end))
			.getBytes(StandardCharsets.UTF_8);
	}

	/**
	 * Return whether the request is recent enough to serve: made less than two ttls before an instant.
	 * @param now the instant
	 * @param timing the lease timing
	 * @return whether its follower may still be waiting
	 */
	boolean isFreshAt(Instant now, LeaseTiming timing) {
		return this.requestedAt.isAfter(now.minus(timing.ttl().multipliedBy(2)));
	}

}
