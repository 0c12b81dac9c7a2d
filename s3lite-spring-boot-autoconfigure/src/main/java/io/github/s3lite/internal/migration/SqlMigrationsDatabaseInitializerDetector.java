package io.github.s3lite.internal.migration;

import java.util.Set;

import org.springframework.boot.sql.init.dependency.AbstractBeansOfTypeDatabaseInitializerDetector;
import org.springframework.core.Ordered;

/**
 * Detects {@link SqlMigrations} as a database initializer. Its order puts it after Flyway's
 * detectors (orders 0 and 1), so raw migrations run after Flyway.
 */
class SqlMigrationsDatabaseInitializerDetector extends AbstractBeansOfTypeDatabaseInitializerDetector {

	static final int ORDER = Ordered.LOWEST_PRECEDENCE - 100;

	@Override
	protected Set<Class<?>> getDatabaseInitializerBeanTypes() {
		return Set.of(SqlMigrations.class);
	}

	@Override
	public int getOrder() {
		return ORDER;
	}

}
