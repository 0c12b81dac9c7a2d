package io.github.s3lite.internal.litestream;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Set;

import javax.sql.DataSource;

import org.flywaydb.core.api.configuration.FluentConfiguration;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.boot.flyway.autoconfigure.FlywayConfigurationCustomizer;
import org.springframework.core.env.Environment;

/**
 * litestream creates {@code _litestream_seq} and {@code _litestream_lock} at its first sync, which
 * can come before Flyway's first migration of a new database. Flyway would then refuse to migrate a
 * "non-empty schema without history table". When the database holds no table but litestream's, this
 * customizer lets Flyway baseline it at version 0 (so that V1 and later still run), unless the
 * application configures {@code spring.flyway.baseline-on-migrate} or
 * {@code spring.flyway.baseline-version} itself. A database with tables of its own is left to
 * Flyway's usual checks.
 */
public final class LitestreamTablesFlywayCustomizer implements FlywayConfigurationCustomizer {

	private static final Logger logger = LoggerFactory.getLogger(LitestreamTablesFlywayCustomizer.class);

	private static final Set<String> IGNORED_TABLES = Set.of("_litestream_seq", "_litestream_lock",
			"_s3lite_heartbeat", "_s3lite_verification", "sqlite_sequence", "android_metadata");

	private final Environment environment;

	/**
	 * Create the customizer.
	 * @param environment the environment, for the application's own baseline settings
	 */
	public LitestreamTablesFlywayCustomizer(Environment environment) {
		this.environment = environment;
	}

	@Override
	public void customize(FluentConfiguration configuration) {
		if (this.environment.containsProperty("spring.flyway.baseline-on-migrate")
				|| this.environment.containsProperty("spring.flyway.baseline-version")
				|| configuration.getDataSource() == null || !onlyLitestreamTables(configuration.getDataSource())) {
			return;
		}
		logger.debug("No application tables yet; letting Flyway baseline at version 0 if litestream's tables exist");
		configuration.baselineOnMigrate(true)
			.baselineVersion("0")
			.baselineDescription("s3lite: new database (litestream tables only)");
	}

	private static boolean onlyLitestreamTables(DataSource dataSource) {
		try (Connection connection = dataSource.getConnection();
				Statement statement = connection.createStatement();
				ResultSet tables = statement.executeQuery("SELECT name FROM sqlite_master WHERE type = 'table'")) {
			while (tables.next()) {
				if (!IGNORED_TABLES.contains(tables.getString(1))) {
					return false;
				}
			}
			return true;
		}
		catch (SQLException ex) {
			logger.debug("Could not list the tables; leaving Flyway's baseline settings alone", ex);
			return false;
		}
	}

}
