package io.github.s3lite.internal.litestream;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One line of litestream's output, parsed from its logfmt form
 * ({@code time=... level=INFO msg="wal segment written" db=/x position=gen/00000001:4152}).
 *
 * @param level the level ({@code DEBUG}, {@code INFO}, {@code WARN}, {@code ERROR}); {@code WARN} for
 * lines that are not logfmt, such as a Go panic
 * @param message the {@code msg} field, or the whole line when it is not logfmt
 * @param fields the other fields, without {@code time}, {@code level} and {@code msg}
 * @param line the raw line
 */
public record LitestreamLogEvent(String level, String message, Map<String, String> fields, String line) {

	/**
	 * Parse a line.
	 * @param line the line
	 * @return the event
	 */
	public static LitestreamLogEvent parse(String line) {
		Map<String, String> fields = new LinkedHashMap<>();
		int i = 0;
		int length = line.length();
		while (i < length) {
			while (i < length && line.charAt(i) == ' ') {
				i++;
			}
			int equals = line.indexOf('=', i);
			int space = line.indexOf(' ', i);
			if (equals < 0 || (space >= 0 && space < equals)) {
				break;
			}
			String key = line.substring(i, equals);
			i = equals + 1;
			StringBuilder value = new StringBuilder();
			if (i < length && line.charAt(i) == '"') {
				i++;
				while (i < length && line.charAt(i) != '"') {
					char c = line.charAt(i);
					if (c == '\\' && i + 1 < length) {
						i++;
						c = line.charAt(i);
						if (c == 'n' || c == 't') {
							c = ' ';
						}
					}
					value.append(c);
					i++;
				}
				i++;
			}
			else {
				while (i < length && line.charAt(i) != ' ') {
					value.append(line.charAt(i++));
				}
			}
			fields.put(key, value.toString());
		}
		String level = fields.remove("level");
		String message = fields.remove("msg");
		fields.remove("time");
		if (level == null || message == null) {
			return new LitestreamLogEvent("WARN", line, Map.of(), line);
		}
		return new LitestreamLogEvent(level.toUpperCase(java.util.Locale.ROOT), message, fields, line);
	}

	/**
	 * Return whether this event reports an error.
	 * @return whether its level is ERROR
	 */
	public boolean isError() {
		return "ERROR".equals(this.level);
	}

	/**
	 * Return the line without its timestamp and level, as relayed to the application's log.
	 * @return the message and fields
	 */
	public String describe() {
		if (this.fields.isEmpty()) {
			return this.message;
		}
		StringBuilder text = new StringBuilder(this.message);
		this.fields.forEach((key, value) -> text.append(' ').append(key).append('=').append(value));
		return text.toString();
	}

}
