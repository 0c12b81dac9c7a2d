package io.github.s3lite.internal.litestream;

import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.s3lite.internal.replication.WalPosition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;

/**
 * The nudge that makes litestream retry a failed upload, on a real SQLite file: it writes only while
 * the replica is stuck behind after an error, never after shutdown began, and never waits for the
 * database lock past its caller's deadline.
 */
class ReplicaNudgeTests {

	private static final WalPosition LOCAL = new WalPosition("0123456789abcdef", 0, 8272);

	private static final WalPosition REPLICA = new WalPosition("0123456789abcdef", 0, 4152);

	@TempDir
	Path dir;

	private Path database;

	@BeforeEach
	void createDatabase() throws Exception {
		this.database = this.dir.resolve("app.db");
		try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + this.database);
				Statement statement = connection.createStatement()) {
			statement.execute("PRAGMA journal_mode=WAL");
			statement.execute("CREATE TABLE items (id INTEGER PRIMARY KEY)");
		}
	}

	@Test
	void writesAHeartbeatWhenTheReplicaIsStuckBehindAfterAnError() throws Exception {
		ReplicaNudge nudge = stalledNudge();
		assertThat(nudge.consider(stuck(), deadlineIn(Duration.ofSeconds(5)))).isTrue();
		assertThat(heartbeats()).isEqualTo(1);
	}

	@Test
	void neverWritesWithoutAnErrorSinceTheReplicaLastMoved() throws Exception {
		ReplicaNudge nudge = stalledNudge();
		LitestreamObservation noError = new LitestreamObservation(1, 5L, 0, null, null, LOCAL, REPLICA, 4120, false);
		assertThat(nudge.consider(noError, deadlineIn(Duration.ofSeconds(5)))).isFalse();
		assertThat(heartbeats()).isZero();
	}

	@Test
	void neverWritesOnceShutdownBegan() throws Exception {
		ReplicaNudge nudge = stalledNudge();
		nudge.close();
		assertThat(nudge.consider(stuck(), deadlineIn(Duration.ofSeconds(5)))).isFalse();
		assertThat(heartbeats()).isZero();
	}

	@Test
	void neverWaitsForTheDatabaseLockPastTheCallersDeadline() throws Exception {
		ReplicaNudge nudge = stalledNudge();
		try (Connection writer = DriverManager.getConnection("jdbc:sqlite:" + this.database);
				Statement statement = writer.createStatement()) {
			statement.execute("BEGIN IMMEDIATE");
			// the old nudge waited a fixed 5 s for the lock, overrunning sync(timeout) and the shutdown flush
			boolean wrote = assertTimeoutPreemptively(Duration.ofSeconds(3),
					() -> nudge.consider(stuck(), deadlineIn(Duration.ofMillis(300))));
			assertThat(wrote).isFalse();
			statement.execute("ROLLBACK");
		}
		assertThat(nudge.consider(stuck(), System.nanoTime())).as("no time left: no attempt").isFalse();
	}

	private ReplicaNudge stalledNudge() throws Exception {
		ReplicaNudge nudge = new ReplicaNudge(this.database, Duration.ofMillis(100));
		nudge.consider(stuck(), deadlineIn(Duration.ofSeconds(5)));
		Thread.sleep(150);
		return nudge;
	}

	private static LitestreamObservation stuck() {
		return new LitestreamObservation(1, 5L, 3, "upload failed", Instant.now(), LOCAL, REPLICA, 4120, false);
	}

	private static long deadlineIn(Duration duration) {
		return System.nanoTime() + duration.toNanos();
	}

	private int heartbeats() throws Exception {
		try (Connection connection = DriverManager.getConnection("jdbc:sqlite:" + this.database);
				Statement statement = connection.createStatement();
				ResultSet tables = statement.executeQuery(
						"SELECT count(*) FROM sqlite_master WHERE name = '" + ReplicaNudge.TABLE + "'")) {
			tables.next();
			if (tables.getInt(1) == 0) {
				return 0;
			}
			try (ResultSet rows = connection.createStatement()
				.executeQuery("SELECT count(*) FROM " + ReplicaNudge.TABLE)) {
				rows.next();
				return rows.getInt(1);
			}
		}
	}

}
