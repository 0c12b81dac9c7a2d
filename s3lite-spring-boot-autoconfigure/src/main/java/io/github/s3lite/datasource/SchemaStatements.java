package io.github.s3lite.datasource;

import java.util.Locale;

/**
 * Recognizes statements that change the schema ({@code CREATE}, {@code DROP}, {@code ALTER}): SQLite's
 * change counters ({@code total_changes()}) count rows only, so a durable commit notes these
 * statements to know that it wrote.
 */
final class SchemaStatements {

	private SchemaStatements() {
	}

	/**
	 * Return whether a statement changes the schema, judged by its first keyword after comments.
	 * @param sql the statement, may be {@code null}
	 * @return whether it starts with CREATE, DROP or ALTER
	 */
	static boolean changesSchema(String sql) {
		if (sql == null) {
			return false;
		}
		int at = 0;
		int length = sql.length();
		while (at < length) {
			char c = sql.charAt(at);
			if (Character.isWhitespace(c) || c == ';') {
				at++;
			}
			else if (sql.startsWith("--", at)) {
				int end = sql.indexOf('\n', at);
				at = (end < 0) ? length : end + 1;
			}
			else if (sql.startsWith("/*", at)) {
				int end = sql.indexOf("*/", at + 2);
				at = (end < 0) ? length : end + 2;
			}
			else {
				break;
			}
		}
		String head = sql.substring(at, Math.min(length, at + 6)).toUpperCase(Locale.ROOT);
		return head.startsWith("CREATE") || head.startsWith("DROP") || head.startsWith("ALTER");
	}

}
