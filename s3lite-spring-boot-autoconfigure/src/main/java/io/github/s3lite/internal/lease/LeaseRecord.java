package io.github.s3lite.internal.lease;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The content of {@code lock.json}: {@code {"generation": <int64>, "expires_at": "<RFC 3339>",
 * "owner": "<string>"}}, the shape of litestream's and the Go original's leases. Parsing is lenient:
 * fields may come in any order, unknown fields (such as a follower's {@link HandoverRequest}) are ignored,
 * a missing generation reads as 0 and a missing owner as {@code "unknown"}; only {@code expires_at} is
 * required.
 *
 * @param generation how many times the lease changed hands, starting at 1
 * @param expiresAt when the lease expires unless renewed
 * @param owner who holds it, for messages and, with the generation and expiry, to tell a holder's own
 * lease (decisions use the ETag)
 */
public record LeaseRecord(long generation, Instant expiresAt, String owner) {

	private static final Pattern GENERATION = Pattern.compile("\"generation\"\\s*:\\s*\"?(-?\\d+)");

	private static final Pattern EXPIRES_AT = Pattern.compile("\"expires_at\"\\s*:\\s*\"([^\"]*)\"");

	private static final Pattern OWNER = Pattern.compile("\"owner\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");

	/**
	 * Return whether the lease has expired at an instant.
	 * @param now the instant
	 * @return {@code true} once {@code now} is after {@link #expiresAt()}
	 */
	public boolean isExpiredAt(Instant now) {
		return now.isAfter(this.expiresAt);
	}

	/**
	 * Return the JSON form, UTF-8.
	 * @return the bytes of {@code lock.json}
	 */
	public byte[] toJson() {
		return ("{\"generation\":" + this.generation + ",\"expires_at\":\""
				+ DateTimeFormatter.ISO_INSTANT.format(this.expiresAt) + "\",\"owner\":\"" + escape(this.owner) + "\"}")
			.getBytes(StandardCharsets.UTF_8);
	}

	/**
	 * Parse {@code lock.json} leniently.
	 * @param json the content
	 * @return the record
	 * @throws IllegalArgumentException when there is no valid {@code expires_at}
	 */
	public static LeaseRecord parse(byte[] json) {
		String text = new String(json, StandardCharsets.UTF_8);
		Matcher expires = EXPIRES_AT.matcher(text);
		if (!expires.find()) {
			throw new IllegalArgumentException("no \"expires_at\" field in " + abbreviate(text));
		}
		Instant expiresAt;
		try {
			expiresAt = OffsetDateTime.parse(expires.group(1), DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant();
		}
		catch (DateTimeParseException ex) {
			throw new IllegalArgumentException("\"expires_at\" is not an RFC 3339 time: " + expires.group(1), ex);
		}
		Matcher generation = GENERATION.matcher(text);
		Matcher owner = OWNER.matcher(text);
		return new LeaseRecord(generation.find() ? Long.parseLong(generation.group(1)) : 0, expiresAt,
				owner.find() ? unescape(owner.group(1)) : "unknown");
	}

	static String escape(String value) {
		StringBuilder escaped = new StringBuilder();
		for (char c : value.toCharArray()) {
			if (c == '"' || c == '\\') {
				escaped.append('\\').append(c);
			}
			else if (c < 0x20) {
				escaped.append(String.format("\\u%04x", (int) c));
			}
			else {
				escaped.append(c);
			}
		}
		return escaped.toString();
	}

	static String unescape(String value) {
		StringBuilder plain = new StringBuilder();
		for (int i = 0; i < value.length(); i++) {
			char c = value.charAt(i);
			if (c != '\\' || i + 1 >= value.length()) {
				plain.append(c);
				continue;
			}
			char next = value.charAt(++i);
			switch (next) {
				case 'n' -> plain.append('\n');
				case 't' -> plain.append('\t');
				case 'r' -> plain.append('\r');
				case 'b' -> plain.append('\b');
				case 'f' -> plain.append('\f');
				case 'u' -> {
					if (i + 4 < value.length()) {
						plain.append((char) Integer.parseInt(value.substring(i + 1, i + 5), 16));
						i += 4;
					}
				}
				default -> plain.append(next);
			}
		}
		return plain.toString();
	}

	private static String abbreviate(String text) {
		return (text.length() > 200) ? text.substring(0, 200) + "..." : text;
	}

	@Override
	public String toString() {
		return "'" + this.owner + "' until " + this.expiresAt + " (generation " + this.generation + ")";
	}

}
