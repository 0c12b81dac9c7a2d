package io.github.s3lite.internal.datasource;

import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Recognizes statements by their text where SQLite gives no signal: those that change the schema
 * ({@code CREATE}, {@code DROP}, {@code ALTER}; SQLite's change counters count rows only), {@code VACUUM}
 * (it commits without SQLite's commit hook) and those that return the rows they write
 * ({@code RETURNING}).
 */
final class SchemaStatements {

	private static final Pattern RETURNING = Pattern.compile("\\bRETURNING\\b", Pattern.CASE_INSENSITIVE);

	private SchemaStatements() {
	}

	/**
	 * Return whether a statement changes the schema, judged by its first keyword after comments.
	 * @param sql the statement, may be {@code null}
	 * @return whether it starts with CREATE, DROP or ALTER
	 */
	static boolean changesSchema(String sql) {
		String head = head(sql, 6);
		return head.startsWith("CREATE") || head.startsWith("DROP") || head.startsWith("ALTER");
	}

	/**
	 * Return whether a statement is a {@code VACUUM}, judged by its first keyword after comments.
	 * @param sql the statement, may be {@code null}
	 * @return whether it starts with VACUUM
	 */
	static boolean vacuums(String sql) {
		return head(sql, 6).startsWith("VACUUM");
	}

	/**
	 * Return whether a statement may return the rows it writes: it holds the word {@code RETURNING}.
	 * @param sql the statement, may be {@code null}
	 * @return whether it mentions RETURNING
	 */
	static boolean returnsRows(String sql) {
		return sql != null && RETURNING.matcher(sql).find();
	}

	private static String head(String sql, int length) {
		if (sql == null) {
			return "";
		}
		int at = 0;
		int end = sql.length();
		while (at < end) {
			char c = sql.charAt(at);
			if (Character.isWhitespace(c) || c == ';') {
				at++;
			}
			else if (sql.startsWith("--", at)) {
				int lineEnd = sql.indexOf('\n', at);
				at = (lineEnd < 0) ? end : lineEnd + 1;
			}
			else if (sql.startsWith("/*", at)) {
				int commentEnd = sql.indexOf("*/", at + 2);
				at = (commentEnd < 0) ? end : commentEnd + 2;
			}
			else {
				break;
			}
		}
		return sql.substring(at, Math.min(sql.length(), at + length)).toUpperCase(Locale.ROOT);
	}

}
