package io.github.s3lite.internal.lease;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * What a writer's mark says ({@code last-writer.json}, and the copy beside its database): the writer's
 * random id, since when it writes and, once it stopped cleanly, the end it <em>sealed</em>: where the
 * replica ends, to be continued from exactly there. A writer that claimed the replica and has not
 * written yet carries forward the end its predecessor proved ({@code reached}: the predecessor's seal,
 * or what the claim before it carried), so that a claim that fails before its first write does not
 * erase what the replica is known to hold.
 *
 * @param writer the writer's random id
 * @param since when it became the writer, empty when not recorded
 * @param end the end it sealed, empty until it stopped cleanly
 * @param reached the end the replica had reached when it claimed it, empty when none was proven
 */
record LastWriter(String writer, Optional<Instant> since, Optional<String> end, Optional<String> reached) {

	private static final Pattern WRITER = Pattern.compile("\"writer\"\\s*:\\s*\"([^\"]*)\"");

	private static final Pattern SINCE = Pattern.compile("\"since\"\\s*:\\s*\"([^\"]*)\"");

	private static final Pattern END = Pattern.compile("\"end\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");

	private static final Pattern REACHED = Pattern.compile("\"reached\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");

	/**
	 * A new writer's claim: a fresh id, since now.
	 * @param reached the end its predecessor proved, carried forward
	 * @return the claim
	 */
	static LastWriter claim(Optional<String> reached) {
		return new LastWriter(UUID.randomUUID().toString(), Optional.of(Instant.now()), Optional.empty(), reached);
	}

	/**
	 * Read a mark.
	 * @param mark its bytes
	 * @return what it says, empty when it names no writer
	 */
	static Optional<LastWriter> parse(byte[] mark) {
		String json = new String(mark, StandardCharsets.UTF_8);
		Matcher writer = WRITER.matcher(json);
		if (!writer.find()) {
			return Optional.empty();
		}
		return Optional.of(new LastWriter(writer.group(1), since(json), quoted(END, json), quoted(REACHED, json)));
	}

	/**
	 * Return the end a successor must reach: the sealed one, else the one carried forward.
	 * @return the end, empty when none is proven
	 */
	Optional<String> provenEnd() {
		return this.end.or(() -> this.reached);
	}

	/**
	 * This writer, sealed at an end.
	 * @param sealed where the replica ends
	 * @return the sealed mark
	 */
	LastWriter sealedAt(String sealed) {
		return new LastWriter(this.writer, this.since, Optional.of(sealed), Optional.empty());
	}

	/**
	 * This writer's claim without the end it carried: once it caught up, it holds that end itself.
	 * @return the settled claim
	 */
	LastWriter settled() {
		return new LastWriter(this.writer, this.since, this.end, Optional.empty());
	}

	/**
	 * Return the mark as stored.
	 * @return the JSON, as UTF-8
	 */
	byte[] toJson() {
		StringBuilder json = new StringBuilder("{\"writer\":\"").append(this.writer).append("\",\"since\":\"")
			.append(this.since.map(Instant::toString).orElse(""))
			.append('"');
		this.end.ifPresent((value) -> json.append(",\"end\":\"").append(escaped(value)).append('"'));
		this.reached.ifPresent((value) -> json.append(",\"reached\":\"").append(escaped(value)).append('"'));
		return json.append('}').toString().getBytes(StandardCharsets.UTF_8);
	}

	private static String escaped(String value) {
		return value.replace("\\", "\\\\").replace("\"", "\\\"");
	}

	private static Optional<String> quoted(Pattern field, String json) {
		Matcher value = field.matcher(json);
		return value.find() ? Optional.of(value.group(1).replace("\\\"", "\"").replace("\\\\", "\\")) : Optional.empty();
	}

	private static Optional<Instant> since(String json) {
		Matcher since = SINCE.matcher(json);
		try {
			return since.find() ? Optional.of(Instant.parse(since.group(1))) : Optional.empty();
		}
		catch (DateTimeParseException ex) {
			return Optional.empty();
		}
	}

}
