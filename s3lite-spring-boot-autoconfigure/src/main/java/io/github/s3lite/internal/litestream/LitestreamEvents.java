package io.github.s3lite.internal.litestream;

import java.time.Instant;
import java.util.concurrent.atomic.AtomicLong;

/**
 * What litestream's log lines tell about replication: errors (counted, the last one kept) and a new
 * generation whose first upload has not been seen yet (until then the replica metrics still describe
 * the previous generation).
 */
final class LitestreamEvents {

	private final AtomicLong errors = new AtomicLong();

	private volatile String lastError;

	private volatile Instant lastErrorTime;

	private volatile String pendingGeneration;

	/**
	 * Take one parsed log line.
	 * @param event the event
	 */
	void accept(LitestreamLogEvent event) {
		if (event.isError()) {
			this.lastError = event.describe();
			this.lastErrorTime = Instant.now();
			this.errors.incrementAndGet();
		}
		switch (event.message()) {
			case "sync: new generation" -> this.pendingGeneration = event.fields().get("generation");
			case "snapshot written", "wal segment written" -> {
				String position = event.fields().getOrDefault("position", "");
				int slash = position.indexOf('/');
				String generation = (slash > 0) ? position.substring(0, slash) : null;
				if (generation != null && generation.equals(this.pendingGeneration)) {
					this.pendingGeneration = null;
				}
			}
			default -> {
			}
		}
	}

	/**
	 * Forget the pending generation: a new process starts.
	 */
	void processStarted() {
		this.pendingGeneration = null;
	}

	long errorCount() {
		return this.errors.get();
	}

	String lastError() {
		return this.lastError;
	}

	Instant lastErrorTime() {
		return this.lastErrorTime;
	}

	/**
	 * Return whether litestream started a generation it has not uploaded anything of yet.
	 * @param generation the local generation
	 * @return whether the replica metrics do not describe that generation yet
	 */
	boolean isPending(String generation) {
		return generation != null && generation.equals(this.pendingGeneration);
	}

}
