package io.github.s3lite.internal.litestream;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Reads the label set of a Prometheus text-format sample ({@code a="x",b="y \"quoted\""}), undoing the
 * format's escapes ({@code \\}, {@code \"}, {@code \n}).
 */
final class PrometheusLabels {

	private PrometheusLabels() {
	}

	/**
	 * Parse the text between a sample's braces.
	 * @param labels the label text
	 * @return the labels by name; what cannot be parsed is left out
	 */
	static Map<String, String> parse(String labels) {
		Map<String, String> result = new LinkedHashMap<>();
		int i = 0;
		while (i < labels.length()) {
			int equals = labels.indexOf('=', i);
			if (equals < 0 || equals + 1 >= labels.length() || labels.charAt(equals + 1) != '"') {
				break;
			}
			String name = labels.substring(i, equals).strip();
			StringBuilder value = new StringBuilder();
			int j = equals + 2;
			while (j < labels.length() && labels.charAt(j) != '"') {
				char c = labels.charAt(j);
				if (c == '\\' && j + 1 < labels.length()) {
					char next = labels.charAt(++j);
					value.append((next == 'n') ? '\n' : next);
				}
				else {
					value.append(c);
				}
				j++;
			}
			result.put(name, value.toString());
			int comma = labels.indexOf(',', j);
			i = (comma < 0) ? labels.length() : comma + 1;
		}
		return result;
	}

}
