package io.github.s3lite.autoconfigure;

import java.nio.file.InvalidPathException;
import java.nio.file.Path;

import io.github.s3lite.internal.config.InvalidS3liteConfigException;

/**
 * Rejects {@code spring.flyway.url} pointing at the s3lite database. Flyway would then open its own
 * connection to the file: without s3lite's pragmas ({@code wal_autocheckpoint=0} while replicating)
 * and possibly before the file has been restored. Without the property, Flyway uses s3lite's
 * DataSource.
 */
final class FlywayUrlCheck {

	private static final String SQLITE_PREFIX = "jdbc:sqlite:";

	private FlywayUrlCheck() {
	}

	static void check(String url, Path database) {
		if (url == null || !url.strip().startsWith(SQLITE_PREFIX)) {
			return;
		}
		String location = url.strip().substring(SQLITE_PREFIX.length());
		int query = location.indexOf('?');
		location = (query >= 0) ? location.substring(0, query) : location;
		location = location.startsWith("file:") ? location.substring("file:".length()) : location;
		if (sameFile(location, database)) {
			throw new InvalidS3liteConfigException("spring.flyway.url", url,
					"Flyway would open its own connection to the s3lite database, bypassing the restore ordering "
							+ "and the pragmas replication needs",
					"Remove spring.flyway.url (and spring.flyway.user/password): Flyway then migrates s3lite's "
							+ "DataSource.");
		}
	}

	private static boolean sameFile(String location, Path database) {
		try {
			return Path.of(location).toAbsolutePath().normalize().equals(database.toAbsolutePath().normalize());
		}
		catch (InvalidPathException ex) {
			return false;
		}
	}

}
