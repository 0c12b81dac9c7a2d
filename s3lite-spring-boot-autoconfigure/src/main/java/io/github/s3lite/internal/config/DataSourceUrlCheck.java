package io.github.s3lite.internal.config;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;

/**
 * Checks {@code spring.datasource.url} against {@code s3lite.path} when s3lite provides the
 * DataSource: the URL may name the same file (relative or absolute, with or without {@code file:} or
 * query parameters), anything else would be silently ignored and fails startup.
 */
public final class DataSourceUrlCheck {

	private static final String SQLITE_PREFIX = "jdbc:sqlite:";

	private DataSourceUrlCheck() {
	}

	/**
	 * Check the URL.
	 * @param url {@code spring.datasource.url}, or {@code null}
	 * @param database the absolute, normalized database path
	 * @return whether the URL was set (and names the database)
	 * @throws InvalidS3liteConfigException if the URL is set and names anything else
	 */
	public static boolean check(String url, Path database) {
		if (url == null || url.isBlank()) {
			return false;
		}
		if (!database.equals(databasePath(url))) {
			throw new InvalidS3liteConfigException("spring.datasource.url", url,
					"s3lite provides the DataSource for s3lite.path (" + SQLITE_PREFIX + database
							+ ") and would ignore this URL",
					"Remove spring.datasource.url (s3lite.path wins), or set s3lite.enabled=false to use it.");
		}
		return true;
	}

	/**
	 * Return whether the URL is unset or names the database (what {@link #check} accepts), without
	 * throwing.
	 * @param url {@code spring.datasource.url}, or {@code null}
	 * @param database the absolute, normalized database path
	 * @return whether {@link #check} would pass
	 */
	public static boolean agrees(String url, Path database) {
		return url == null || url.isBlank() || database.equals(databasePath(url));
	}

	/**
	 * Return the absolute, normalized file an SQLite JDBC URL names.
	 * @param url the URL
	 * @return the file, or {@code null} when the URL is not an SQLite file URL
	 */
	static Path databasePath(String url) {
		String stripped = url.strip();
		if (!stripped.startsWith(SQLITE_PREFIX)) {
			return null;
		}
		String location = stripped.substring(SQLITE_PREFIX.length());
		int query = location.indexOf('?');
		location = (query >= 0) ? location.substring(0, query) : location;
		location = location.startsWith("file:") ? location.substring("file:".length()) : location;
		if (location.isEmpty() || location.startsWith(":memory:")) {
			return null;
		}
		try {
			return Path.of(location).toAbsolutePath().normalize();
		}
		catch (InvalidPathException ex) {
			return null;
		}
	}

}
