package io.github.s3lite.internal.verification;

import java.time.Duration;
import java.util.function.LongSupplier;

/**
 * One time budget shared by the steps of an operation: each step gets what the previous ones left.
 */
final class Deadline {

	private final Duration budget;

	private final LongSupplier nanoTime;

	private final long end;

	private Deadline(Duration budget, LongSupplier nanoTime) {
		this.budget = budget;
		this.nanoTime = nanoTime;
		this.end = nanoTime.getAsLong() + budget.toNanos();
	}

	/**
	 * Start a deadline.
	 * @param budget the time the whole operation may take
	 * @param nanoTime the ticker, {@link System#nanoTime()} outside tests
	 * @return the deadline
	 */
	static Deadline after(Duration budget, LongSupplier nanoTime) {
		return new Deadline(budget, nanoTime);
	}

	/**
	 * Return the time left, never negative.
	 * @return the time left
	 */
	Duration remaining() {
		return Duration.ofNanos(Math.max(0, this.end - this.nanoTime.getAsLong()));
	}

	/**
	 * Return whether no time is left.
	 * @return whether the deadline passed
	 */
	boolean expired() {
		return remaining().isZero();
	}

	/**
	 * Return the whole budget.
	 * @return the budget
	 */
	Duration budget() {
		return this.budget;
	}

}
