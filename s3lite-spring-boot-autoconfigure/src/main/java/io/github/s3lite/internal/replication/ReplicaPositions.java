package io.github.s3lite.internal.replication;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import io.github.s3lite.replication.ReplicaPosition;

/**
 * The textual form of a {@link ReplicaPosition}: what {@code toString()} shows, read back. Whoever holds
 * the text (a client with an {@code S3lite-Position} header) treats it as an opaque token; only this
 * parser knows the formats, today litestream v0.3's {@link WalPosition}
 * ({@code <generation, 16 hex digits>/<index, hex>:<offset, decimal>}).
 */
public final class ReplicaPositions {

	private static final int MAX_LENGTH = 64;

	private static final Pattern WAL_POSITION = Pattern.compile("([0-9a-f]{16})/([0-9a-f]{1,16}):([0-9]{1,19})");

	private ReplicaPositions() {
	}

	/**
	 * Read a position from its {@code toString()} form.
	 * @param text the text, e.g. {@code 0123456789abcdef/00000001:4152}
	 * @return the position, equal to the one that was written
	 * @throws IllegalArgumentException when the text is not a position, naming it (shortened) and the
	 * expected form
	 */
	public static ReplicaPosition parse(String text) {
		Matcher wal = (text != null && text.length() <= MAX_LENGTH) ? WAL_POSITION.matcher(text.strip()) : null;
		if (wal != null && wal.matches()) {
			try {
				return new WalPosition(wal.group(1), Long.parseLong(wal.group(2), 16),
						Long.parseLong(wal.group(3)));
			}
			catch (NumberFormatException ex) {
				// out of range: reported below
			}
		}
		throw new IllegalArgumentException("Invalid replica position " + quoted(text)
				+ ": expected <generation>/<index>:<offset> as s3lite writes it, e.g. 0123456789abcdef/00000001:4152 "
				+ "(16 lowercase hex digits, a hex WAL index, a decimal byte offset)");
	}

	private static String quoted(String text) {
		if (text == null) {
			return "null";
		}
		String shown = (text.length() > MAX_LENGTH) ? text.substring(0, MAX_LENGTH) + "..." : text;
		return "'" + shown.replaceAll("\\p{Cntrl}", "?") + "'";
	}

}
