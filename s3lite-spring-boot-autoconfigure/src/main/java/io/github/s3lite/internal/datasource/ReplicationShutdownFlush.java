package io.github.s3lite.internal.datasource;

import java.time.Duration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.context.SmartLifecycle;

import io.github.s3lite.replication.LocalDatabaseMissingException;
import io.github.s3lite.replication.Replication;
import io.github.s3lite.replication.ReplicationException;
import io.github.s3lite.replication.ReplicationStatus;

/**
 * Flushes the replica at graceful shutdown: a bounded {@link Replication#sync(Duration)} after the web
 * server finished in-flight requests and task executors and schedulers finished their work
 * ({@code @Scheduled} and {@code @Async} included), and before singletons such as the pool are
 * destroyed (phase {@value #PHASE}, see {@link #PHASE}). A failed flush is logged with the bytes not
 * replicated; it never blocks shutdown beyond its timeout.
 */
public class ReplicationShutdownFlush implements SmartLifecycle {

	/**
	 * Below both the web server's graceful shutdown ({@code Integer.MAX_VALUE - 1024}) and Spring's task
	 * executors and schedulers ({@code Integer.MAX_VALUE / 2}). Lifecycles stop from the highest phase
	 * to the lowest, so the flush runs after both have finished; singletons (the pool) are destroyed
	 * only after every lifecycle stopped.
	 */
	public static final int PHASE = Integer.MAX_VALUE / 2 - 1024;

	private static final Logger logger = LoggerFactory.getLogger(ReplicationShutdownFlush.class);

	private final Replication replication;

	private final Duration timeout;

	private volatile boolean running;

	/**
	 * Create the flush.
	 * @param replication the replication to flush
	 * @param timeout the longest the flush may take
	 */
	public ReplicationShutdownFlush(Replication replication, Duration timeout) {
		this.replication = replication;
		this.timeout = timeout;
	}

	@Override
	public void start() {
		this.running = true;
	}

	@Override
	public void stop() {
		if (!this.running) {
			return;
		}
		this.running = false;
		if (!this.replication.status().configured()) {
			return;
		}
		long started = System.nanoTime();
		try {
			this.replication.sync(this.timeout);
			logger.info("Final flush to the replica completed in {} ms", (System.nanoTime() - started) / 1_000_000);
		}
		catch (LocalDatabaseMissingException ex) {
			logger.warn("Final flush skipped: {}", ex.getMessage());
		}
		catch (ReplicationException ex) {
			ReplicationStatus status = this.replication.status();
			logger.error("Final flush to {} failed after {} ms; {} WAL bytes are not replicated: {}", status.replica(),
					(System.nanoTime() - started) / 1_000_000, status.lagBytes(), ex.getMessage());
		}
		catch (RuntimeException ex) {
			logger.error("Final flush to the replica failed", ex);
		}
	}

	@Override
	public boolean isRunning() {
		return this.running;
	}

	@Override
	public int getPhase() {
		return PHASE;
	}

}
