package io.github.s3lite.internal.nativeengine;

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
import java.util.function.BooleanSupplier;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Pauses application writers by holding the database's write lock on a connection of its own: they
 * wait in SQLite's busy handler, they do not fail. {@link #during} watches a condition while an upload
 * runs and pauses writers whenever it holds. A pause ends with the upload or after {@link #MAX_PAUSE},
 * whichever comes first, even while the upload hangs; the next pause starts {@link #MIN_GAP} after the
 * last one ended at the earliest, and an upload still running after {@link #GIVE_UP} is taken as a
 * replica that does not answer, for which writers are not paused any more. So a statement waits at most
 * about a second per pause, far below the default {@code busy_timeout} of 5 s.
 */
final class WriterPause implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(WriterPause.class);

	/** The longest a pause lasts. */
	static final Duration MAX_PAUSE = Duration.ofSeconds(1);

	/** The shortest time between two pauses, in which writers waiting in a busy handler get in. */
	static final Duration MIN_GAP = Duration.ofMillis(250);

	/** How long into an upload writers may be paused; a slower upload is treated as a failing one. */
	static final Duration GIVE_UP = Duration.ofSeconds(5);

	private static final long WATCH_MILLIS = 5;

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
	 * Run an upload, pausing writers whenever {@code full} says so while it runs (checked every few
	 * milliseconds on another thread), for at most {@link #GIVE_UP}.
	 * @param upload the upload
	 * @param full whether writers must wait now
	 * @throws IOException if the upload fails
	 */
	void during(Upload upload, BooleanSupplier full) throws IOException {
		long giveUpAt = System.nanoTime() + GIVE_UP.toNanos();
		ScheduledFuture<?> watch = this.timer.scheduleWithFixedDelay(() -> {
			if (System.nanoTime() - giveUpAt < 0 && full.getAsBoolean()) {
				pause();
			}
		}, 0, WATCH_MILLIS, TimeUnit.MILLISECONDS);
		try {
			upload.run();
		}
		finally {
			watch.cancel(false);
			resume();
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

	/** An upload or other work during which the WAL grows. */
	@FunctionalInterface
	interface Upload {

		void run() throws IOException;

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
