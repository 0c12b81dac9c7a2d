package io.github.s3lite.internal.datasource;

import java.sql.SQLException;
import java.sql.SQLTransientException;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes the decision "this instance may still write" atomic with SQLite's commit. Every statement and
 * every commit of s3lite's connections runs on the shared side ({@link #enter}), checking the
 * {@link WriteGate} there; {@link #fence()} (run when the gate fences this instance) takes the
 * exclusive side: it waits for what is running to end, interrupts it ({@code sqlite3_interrupt}) when it
 * does not end quickly, e.g. a statement waiting for the write lock, then releases. A statement that
 * entered before the fence commits before {@link #fence()} returns or not at all (SQLite fails an
 * interrupted statement, rolling it back, when it resumes); one that enters later sees the gate's new
 * answer and is refused. Nothing is held after {@link #fence()}: the gate may say yes again later.
 */
final class WriteFence {

	private static final Logger logger = LoggerFactory.getLogger(WriteFence.class);

	/** How long running statements may take to end by themselves before they are interrupted. */
	static final Duration GRACE = Duration.ofMillis(200);

	/** How long interrupted statements may take to end before the fence gives up waiting for them. */
	static final Duration BOUND = Duration.ofSeconds(2);

	private final Object lock = new Object();

	private final Set<ReadOnlyAwareSqliteConnection> inside = new HashSet<>();

	private boolean fencing;

	/** How many fences were taken: a transaction that spans one cannot commit. */
	private long fences;

	/**
	 * Enter the shared side, waiting while a fence is being taken.
	 * @param connection the connection about to run a statement or commit
	 * @return the number of fences taken so far
	 * @throws SQLException if interrupted while waiting
	 */
	long enter(ReadOnlyAwareSqliteConnection connection) throws SQLException {
		synchronized (this.lock) {
			while (this.fencing) {
				try {
					this.lock.wait();
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					throw new SQLTransientException("Interrupted while this instance was being fenced", ex);
				}
			}
			this.inside.add(connection);
			return this.fences;
		}
	}

	void exit(ReadOnlyAwareSqliteConnection connection) {
		synchronized (this.lock) {
			this.inside.remove(connection);
			this.lock.notifyAll();
		}
	}

	/** Return the number of fences taken so far. */
	long fences() {
		synchronized (this.lock) {
			return this.fences;
		}
	}

	/**
	 * Take the exclusive side: wait for running statements and commits, interrupting those that do not
	 * end within {@link #GRACE}, then release.
	 */
	void fence() {
		synchronized (this.lock) {
			this.fences++;
			this.fencing = true;
			try {
				if (!drained(GRACE)) {
					List<ReadOnlyAwareSqliteConnection> running = List.copyOf(this.inside);
					logger.info("Fencing: interrupting {} statement(s) still running", running.size());
					running.forEach(ReadOnlyAwareSqliteConnection::interruptStatement);
					if (!drained(BOUND)) {
						logger.warn("Fencing: {} interrupted statement(s) still waiting (for SQLite's write lock); "
								+ "SQLite fails them when they resume", this.inside.size());
					}
				}
			}
			finally {
				this.fencing = false;
				this.lock.notifyAll();
			}
		}
	}

	private boolean drained(Duration timeout) {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (!this.inside.isEmpty()) {
			long left = deadline - System.nanoTime();
			if (left <= 0) {
				return false;
			}
			try {
				this.lock.wait(Math.max(1, left / 1_000_000));
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return this.inside.isEmpty();
			}
		}
		return true;
	}

}
