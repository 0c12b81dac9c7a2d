package io.github.s3lite.nativeengine;

import java.io.IOException;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pauses application writers by holding the database's write lock on a connection of its own: they
 * wait in SQLite's busy handler, they do not fail. A pause ends when {@link #resume()} is called or
 * after {@link #MAX_PAUSE}, whichever comes first, even while the caller is stuck in an upload, and the
 * next pause starts {@link #MIN_GAP} after the last one ended at the earliest; so a statement waits at
 * most about a second per pause, far below the default {@code busy_timeout} of 5 s.
 */
final class WriterPause implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(WriterPause.class);

	/** The longest a pause lasts. */
	static final Duration MAX_PAUSE = Duration.ofSeconds(1);

	/** The shortest time between two pauses, in which writers waiting in a busy handler get in. */
	static final Duration MIN_GAP = Duration.ofMillis(250);

	private final Connection connection;

	private final ScheduledExecutorService timer;

	private boolean paused;

	private ScheduledFuture<?> autoResume;

	private long resumedAt = System.nanoTime() - MIN_GAP.toNanos();

	private long pauses;

	private WriterPause(Connection connection) {
		this.connection = connection;
		this.timer = Executors.newSingleThreadScheduledExecutor((runnable) -> {
			Thread thread = new Thread(runnable, "s3lite-native-writer-pause");
			thread.setDaemon(true);
			return thread;
		});
	}

	static WriterPause open(Path database) throws IOException {
		try {
			return new WriterPause(SqliteControl.connect(database, MAX_PAUSE));
		}
		catch (SQLException ex) {
			throw new IOException("Could not open " + database + " for replication: " + ex.getMessage(), ex);
		}
	}

	/**
	 * Take the write lock unless a pause ended less than {@link #MIN_GAP} ago.
	 * @return whether writers are paused now; the caller then calls {@link #resume()}
	 */
	synchronized boolean pause() {
		if (this.paused || System.nanoTime() - this.resumedAt < MIN_GAP.toNanos()) {
			return false;
		}
		try (Statement statement = this.connection.createStatement()) {
			statement.execute("BEGIN IMMEDIATE");
		}
		catch (SQLException ex) {
			logger.debug("Could not pause writers: {}", ex.getMessage());
			return false;
		}
		this.paused = true;
		this.pauses++;
		this.autoResume = this.timer.schedule(this::resume, MAX_PAUSE.toMillis(), TimeUnit.MILLISECONDS);
		return true;
	}

	/** Release the write lock if a pause holds it. */
	synchronized void resume() {
		if (!this.paused) {
			return;
		}
		this.paused = false;
		this.autoResume.cancel(false);
		this.resumedAt = System.nanoTime();
		try (Statement statement = this.connection.createStatement()) {
			statement.execute("COMMIT");
		}
		catch (SQLException ex) {
			logger.warn("Could not end a pause of writers: {}", ex.getMessage());
		}
	}

	/** The number of pauses so far. */
	synchronized long pauses() {
		return this.pauses;
	}

	@Override
	public synchronized void close() throws IOException {
		resume();
		this.timer.shutdownNow();
		try {
			this.connection.close();
		}
		catch (SQLException ex) {
			throw new IOException("Could not close the writer pause's connection", ex);
		}
	}

}
