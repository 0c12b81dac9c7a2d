package io.github.s3lite.internal.litestream;

/**
 * Turns a counter that restarts from zero with every litestream process into one that never decreases:
 * when the process changes (or its value drops), what the earlier processes reached is kept as a base
 * the new process's count is added to.
 */
final class MonotonicCounter {

	private long base;

	private long last;

	private long processId = -1;

	/**
	 * Record a value read from a process.
	 * @param processId the pid of the process that reported it
	 * @param observed the value the process reports
	 * @return the total since replication started
	 */
	synchronized long update(long processId, long observed) {
		if (processId != this.processId || observed < this.last) {
			this.base += this.last;
			this.last = 0;
			this.processId = processId;
		}
		this.last = Math.max(this.last, observed);
		return this.base + this.last;
	}

	/**
	 * Return the total without a new value.
	 * @return the total since replication started
	 */
	synchronized long total() {
		return this.base + this.last;
	}

}
