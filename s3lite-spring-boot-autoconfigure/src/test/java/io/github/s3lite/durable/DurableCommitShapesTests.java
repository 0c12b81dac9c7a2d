package io.github.s3lite.durable;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;
import java.util.stream.Stream;

import javax.sql.DataSource;

import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.context.ApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.core.simple.JdbcClient;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import io.github.s3lite.test.IndependentRestore;
import io.github.s3lite.test.S3ProxyServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Every shape of commit an application can make through s3lite's {@code DataSource} returns only once
 * the replica holds it: right after the call, a fresh restore by the litestream binary shows the write
 * (background shipping runs every hour, so only the durable wait can explain it).
 */
class DurableCommitShapesTests {

	private static final String BUCKET = "durable-shapes";

	@RegisterExtension
	static final S3ProxyServer s3 = S3ProxyServer.withBucket(BUCKET);

	@TempDir
	Path dir;

	static Stream<Arguments> shapes() {
		return Stream.of(
				shape("insert-returning-query-for-object", "SELECT count(*) FROM items WHERE name = 'returned'", 1,
						(context) -> assertThat(jdbc(context).queryForObject(
								"INSERT INTO items (id, name) VALUES (7, 'returned') RETURNING id", Long.class))
							.isEqualTo(7)),
				shape("insert-returning-jdbc-client", "SELECT count(*) FROM items WHERE name = 'client'", 1,
						(context) -> assertThat(JdbcClient.create(context.getBean(DataSource.class))
							.sql("INSERT INTO items (id, name) VALUES (?, 'client') RETURNING id")
							.param(8)
							.query(Long.class)
							.single()).isEqualTo(8)),
				shape("insert-returning-through-execute", "SELECT count(*) FROM items WHERE name = 'executed'", 1,
						(context) -> withStatement(context, (statement) -> {
							assertThat(statement.execute("INSERT INTO items (id, name) VALUES (9, 'executed') RETURNING id"))
								.isTrue();
							statement.getResultSet().close();
						})),
				shape("execute-query-of-plain-dml", "SELECT count(*) FROM items WHERE name = 'plain'", 1,
						(context) -> withStatement(context, (statement) -> assertThatExceptionOfType(SQLException.class)
							.isThrownBy(() -> statement.executeQuery("INSERT INTO items (id, name) VALUES (10, 'plain')")))),
				shape("pragma-user-version", "PRAGMA user_version", 42,
						(context) -> jdbc(context).execute("PRAGMA user_version = 42")),
				shape("vacuum", "PRAGMA auto_vacuum", 1, (context) -> withStatement(context, (statement) -> {
					statement.execute("PRAGMA auto_vacuum = FULL");
					statement.execute("VACUUM");
				})),
				shape("ddl", "SELECT count(*) FROM sqlite_schema WHERE name = 'extra_index'", 1,
						(context) -> jdbc(context).execute("CREATE INDEX extra_index ON items (name)")),
				shape("batch", "SELECT count(*) FROM items WHERE name = 'batch'", 20,
						(context) -> jdbc(context).batchUpdate("INSERT INTO items (id, name) VALUES (?, 'batch')",
								ids(20))),
				shape("multi-statement-update", "SELECT count(*) FROM items WHERE name = 'multi'", 2,
						(context) -> withStatement(context, (statement) -> statement.executeUpdate(
								"INSERT INTO items (id, name) VALUES (11, 'multi'); INSERT INTO items (id, name) VALUES (12, 'multi')"))),
				shape("transaction-template-with-returning", "SELECT count(*) FROM items WHERE name = 'tx'", 2,
						(context) -> new TransactionTemplate(context.getBean(PlatformTransactionManager.class))
							.executeWithoutResult((status) -> {
								jdbc(context).update("INSERT INTO items (id, name) VALUES (13, 'tx')");
								jdbc(context).queryForObject("INSERT INTO items (id, name) VALUES (14, 'tx') RETURNING id",
										Long.class);
							})),
				shape("transactional-method", "SELECT count(*) FROM items WHERE name = 'tx'", 2,
						(context) -> context.getBean(DurableApp.ItemService.class).insertTwo(15)));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("shapes")
	void eachAcknowledgedWriteIsInAFreshRestore(String name, String check, long expected, Write write) {
		DurableApp.runner(this.dir.resolve("data/app.sqlite3"), s3, BUCKET, name).run((context) -> {
			DurableApp.useUpBackgroundUpload(context);
			write.to(context);
			Path restored = IndependentRestore.fromS3(s3, BUCKET, name, this.dir.resolve("restored.db"));
			assertThat(restored).as("a restored replica").isNotNull();
			assertThat(IndependentRestore.queryLong(restored, check)).isEqualTo(expected);
		});
	}

	private static Arguments shape(String name, String check, long expected, Write write) {
		return Arguments.of(name, check, expected, write);
	}

	private static JdbcTemplate jdbc(ApplicationContext context) {
		return context.getBean(JdbcTemplate.class);
	}

	private static void withStatement(ApplicationContext context, StatementWork work) throws SQLException {
		try (Connection connection = context.getBean(DataSource.class).getConnection();
				Statement statement = connection.createStatement()) {
			work.run(statement);
		}
	}

	private static List<Object[]> ids(int count) {
		return Stream.iterate(100, (id) -> id + 1).limit(count).map((id) -> new Object[] { id }).toList();
	}

	/** One way of writing. */
	@FunctionalInterface
	interface Write {

		void to(ApplicationContext context) throws Exception;

	}

	@FunctionalInterface
	interface StatementWork {

		void run(Statement statement) throws SQLException;

	}

}
