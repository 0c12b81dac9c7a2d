package io.github.s3lite.internal.datasource;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.jdbc.core.JdbcTemplate;

import io.github.s3lite.config.Synchronous;
import io.github.s3lite.config.TxLock;
import io.github.s3lite.reliability.ReplicatedApp;
import io.github.s3lite.replication.Replication;
import io.github.s3lite.test.IndependentRestore;
import io.github.s3lite.test.S3ProxyServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import io.github.s3lite.datasource.ReplicatingDataSource;

/**
 * While the database is replicated, the engine owns checkpoints: {@code PRAGMA wal_checkpoint} through
 * s3lite's {@code DataSource} is refused with an error that says why, whatever its spelling and
 * however it is run, and an application that keeps trying while it writes leaves a replica that the
 * real litestream binary restores whole, in the generation it started with.
 */
class CheckpointPragmaTests {

	private static final String BUCKET = "checkpoints";

	@RegisterExtension
	static final S3ProxyServer s3 = S3ProxyServer.withBucket(BUCKET);

	@TempDir
	Path dir;

	@ParameterizedTest
	@ValueSource(strings = { "PRAGMA wal_checkpoint", "PRAGMA wal_checkpoint(TRUNCATE)", "pragma WAL_CHECKPOINT(restart)",
			"PRAGMA main.wal_checkpoint(FULL)", "  /* tidy up */ PRAGMA   wal_checkpoint ( PASSIVE )",
			"PRAGMA \"main\".\"wal_checkpoint\"(TRUNCATE)", "SELECT 1; PRAGMA wal_checkpoint(TRUNCATE)" })
	void aCheckpointPragmaIsRefusedWhileReplicatedHoweverItIsRun(String sql) throws SQLException {
		try (ReplicatingDataSource dataSource = dataSource(List.of("PRAGMA wal_autocheckpoint=0"));
				Connection connection = dataSource.getConnection();
				Statement statement = connection.createStatement()) {
			assertRefused(() -> statement.execute(sql));
			assertRefused(() -> statement.executeQuery(sql).close());
			assertRefused(() -> statement.executeUpdate(sql));
			assertRefused(() -> statement.addBatch(sql));
			assertRefused(() -> {
				try (PreparedStatement prepared = connection.prepareStatement(sql)) {
					prepared.execute();
				}
			});
		}
	}

	@Test
	void withoutReplicationCheckpointsAreTheApplicationsToRun() throws SQLException {
		try (ReplicatingDataSource dataSource = dataSource(List.of())) {
			new JdbcTemplate(dataSource).execute("PRAGMA wal_checkpoint(TRUNCATE)");
		}
	}

	@Test
	void anApplicationTryingToCheckpointWhileWritingLeavesAWholeReplicaInOneGeneration() {
		ReplicatedApp.runner(this.dir.resolve("data/app.sqlite3"), "s3://" + BUCKET + "/loop", s3.endpoint())
			.withPropertyValues("s3lite.engine=native", "s3lite.native-engine.sync-interval=50ms")
			.run((context) -> {
				ReplicatingDataSource dataSource = context.getBean(ReplicatingDataSource.class);
				JdbcTemplate jdbc = context.getBean(JdbcTemplate.class);
				jdbc.update("INSERT INTO items (id, name) VALUES (0, 'first')");
				dataSource.sync(ReplicatedApp.SYNC_TIMEOUT);
				String generation = dataSource.status().replicatedPosition().generation();
				for (int id = 1; id <= 60; id++) {
					jdbc.update("INSERT INTO items (id, name) VALUES (?, 'row')", id);
					String mode = List.of("PASSIVE", "FULL", "RESTART", "TRUNCATE").get(id % 4);
					assertRefused(() -> jdbc.execute("PRAGMA wal_checkpoint(" + mode + ")"));
				}
				dataSource.sync(ReplicatedApp.SYNC_TIMEOUT);
				assertThat(dataSource.status().replicatedPosition().generation()).isEqualTo(generation);
				Path restored = IndependentRestore.fromS3(s3, BUCKET, "loop", this.dir.resolve("restored.db"));
				assertThat(IndependentRestore.integrityCheck(restored)).isEqualTo("ok");
				assertThat(IndependentRestore.count(restored, "items")).isEqualTo(61);
			});
	}

	private ReplicatingDataSource dataSource(List<String> engineStatements) {
		SqliteConnectionSource connections = new SqliteConnectionSource(this.dir.resolve("app.db"), Synchronous.NORMAL,
				TxLock.IMMEDIATE, Duration.ofSeconds(5), engineStatements);
		return new ReplicatingDataSource(connections, Replication.NONE);
	}

	private static void assertRefused(Attempt attempt) {
		assertThatExceptionOfType(Exception.class).isThrownBy(attempt::run)
			.satisfies((ex) -> assertThat(rootOrSelf(ex)).hasMessageContaining("engine owns checkpoints"));
	}

	private static Throwable rootOrSelf(Throwable ex) {
		Throwable cause = ex;
		while (!(cause instanceof SQLException) && cause.getCause() != null) {
			cause = cause.getCause();
		}
		return cause;
	}

	@FunctionalInterface
	interface Attempt {

		void run() throws Exception;

	}

}
