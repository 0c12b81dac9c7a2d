package io.github.s3lite.internal.follow;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Objects;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.s3lite.replication.ReplicaPosition;

/**
 * The follower's own thread ({@code s3lite-follower}): a check at the cadence of {@link ProbeCadence},
 * one in ten with a full listing; a failure is logged once until a check succeeds again.
 */
final class RefreshSchedule {

	private static final Logger logger = LoggerFactory.getLogger(FollowerRefresher.class);

	private final Duration interval;

	private final Check check;

	private final Path database;

	private volatile Thread thread;

	private volatile boolean stopped;

	private volatile boolean failing;

	RefreshSchedule(Duration interval, Check check, Path database) {
		this.interval = interval;
		this.check = check;
		this.database = database;
	}

	/** Start checking, unless the interval is 0 (on demand only). */
	void start() {
		if (this.interval.isZero()) {
			return;
		}
		Thread started = new Thread(this::run, "s3lite-follower");
		started.setDaemon(true);
		this.thread = started;
		started.start();
	}

	/** Whether the last scheduled check failed. */
	boolean failing() {
		return this.failing;
	}

	private void run() {
		ProbeCadence cadence = new ProbeCadence(this.interval, System.nanoTime());
		ReplicaPosition before = null;
		while (!this.stopped) {
			try {
				Thread.sleep(cadence.nextDelay(System.nanoTime()).toMillis());
			}
			catch (InterruptedException ex) {
				return;
			}
			try {
				ReplicaPosition reached = this.check.run(cadence.fullListingNext());
				cadence.probed(reached == null || !Objects.equals(reached, before), System.nanoTime());
				before = reached;
				if (this.failing) {
					logger.info("Follower of {} refreshes again", this.database);
					this.failing = false;
				}
			}
			catch (IOException | RuntimeException ex) {
				cadence.probed(true, System.nanoTime());
				if (!this.failing) {
					logger.warn("Follower of {} could not refresh (retrying every {}): {}", this.database, this.interval,
							ex.getMessage());
					this.failing = true;
				}
			}
		}
	}

	/** Stop and wait up to 5 s for a check under way. */
	void stop() {
		this.stopped = true;
		Thread running = this.thread;
		if (running != null) {
			running.interrupt();
			try {
				running.join(5_000);
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
		}
	}

	/** One check of the replica. */
	@FunctionalInterface
	interface Check {

		/**
		 * Check now.
		 * @param fullListing whether to list the whole replica
		 * @return the position the readers reached, {@code null} when none
		 * @throws IOException when the replica cannot be read
		 */
		ReplicaPosition run(boolean fullListing) throws IOException;

	}

}
