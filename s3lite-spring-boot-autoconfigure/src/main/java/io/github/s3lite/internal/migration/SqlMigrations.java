package io.github.s3lite.internal.migration;

import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

import javax.sql.DataSource;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.InitializingBean;

/**
 * Runs the statements of {@code s3lite.migrations} in order, each in its own transaction, on every
 * start. There is no version table: statements must be idempotent. A failure stops startup naming
 * the statement's index. Registered as a database initializer, so {@code JdbcTemplate} and other
 * beans that depend on database initialization wait for it, and it runs after Flyway.
 */
public class SqlMigrations implements InitializingBean {

	private static final Logger logger = LoggerFactory.getLogger(SqlMigrations.class);

	private final DataSource dataSource;

	private final List<String> statements;

	/**
	 * Create the migrations.
	 * @param dataSource the database at {@code s3lite.path} (never an unrelated application DataSource)
	 * @param statements the statements, in order
	 */
	public SqlMigrations(DataSource dataSource, List<String> statements) {
		this.dataSource = dataSource;
		this.statements = List.copyOf(statements);
	}

	@Override
	public void afterPropertiesSet() throws SQLException {
		migrate();
	}

	/**
	 * Run every statement in order.
	 * @throws MigrationException naming the first statement that failed
	 * @throws SQLException if no connection can be obtained
	 */
	public void migrate() throws SQLException {
		if (this.statements.isEmpty()) {
			return;
		}
		long started = System.nanoTime();
		try (Connection connection = this.dataSource.getConnection()) {
			boolean autoCommit = connection.getAutoCommit();
			connection.setAutoCommit(false);
			try {
				for (int i = 0; i < this.statements.size(); i++) {
					run(connection, i, this.statements.get(i));
				}
			}
			finally {
				connection.setAutoCommit(autoCommit);
			}
		}
		logger.info("Ran {} s3lite.migrations statement(s) in {} ms", this.statements.size(),
				(System.nanoTime() - started) / 1_000_000);
	}

	private void run(Connection connection, int index, String sql) {
		try (Statement statement = connection.createStatement()) {
			statement.execute(sql);
			connection.commit();
		}
		catch (SQLException ex) {
			try {
				connection.rollback();
			}
			catch (SQLException rollbackFailure) {
				ex.addSuppressed(rollbackFailure);
			}
			throw new MigrationException(index, sql, ex);
		}
	}

	/**
	 * Return the statements.
	 * @return the statements, in order
	 */
	public List<String> getStatements() {
		return this.statements;
	}

}
