package io.github.s3lite.internal.replication;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.StringJoiner;
import java.util.concurrent.CompletionException;
import java.util.concurrent.ExecutionException;

import org.slf4j.Logger;

/**
 * The log of one source of retried attempts (lease renewals, lease checks, uploads) during an outage:
 * one WARN at the first failure ("{@code <what> is failing: <cause>; retrying, next report when it
 * recovers}"), DEBUG for every failure after it, and one INFO at the first success after failures
 * ("{@code <what> recovered after <duration>: <n> attempts failed (<causes>)}"), the duration counted from
 * the first failure. A success without failures before it logs nothing. Causes are put on one line and
 * cut in the middle beyond {@value #MAX_CAUSE_LENGTH} characters; the recovery names the first
 * {@value #MAX_CAUSES} distinct ones with their counts. Thread-safe; engine-neutral.
 */
public final class OutageLog {

	static final int MAX_CAUSES = 3;

	static final int MAX_CAUSE_LENGTH = 160;

	static final int CAUSE_HEAD = 60;

	private final Logger logger;

	private final String what;

	private final Clock clock;

	private final Map<String, Integer> causes = new LinkedHashMap<>();

	private Instant failingSince;

	private int failures;

	private int otherCauses;

	/**
	 * Create the log of a source.
	 * @param logger where to log
	 * @param what the source, as the subject of a sentence ({@code "Lease renewal of s3://b/lock.json"})
	 */
	public OutageLog(Logger logger, String what) {
		this(logger, what, Clock.systemUTC());
	}

	/**
	 * Create the log of a source with a clock (for tests).
	 * @param logger where to log
	 * @param what the source, as the subject of a sentence
	 * @param clock the clock that measures the outage
	 */
	public OutageLog(Logger logger, String what, Clock clock) {
		this.logger = logger;
		this.what = what;
		this.clock = clock;
	}

	/**
	 * Record a failed attempt.
	 * @param failure the failure (an {@link ExecutionException} or {@link CompletionException} stands for
	 * its cause)
	 */
	public void failed(Throwable failure) {
		failed(causeOf(failure));
	}

	/**
	 * Record a failed attempt.
	 * @param cause what went wrong, in a few words
	 */
	public synchronized void failed(String cause) {
		String abbreviated = abbreviate(cause);
		this.failures++;
		if (this.causes.containsKey(abbreviated) || this.causes.size() < MAX_CAUSES) {
			this.causes.merge(abbreviated, 1, Integer::sum);
		}
		else {
			this.otherCauses++;
		}
		if (this.failingSince == null) {
			this.failingSince = this.clock.instant();
			this.logger.warn("{} is failing: {}; retrying, next report when it recovers", this.what, abbreviated);
		}
		else {
			this.logger.debug("{} failed again ({} in a row): {}", this.what, this.failures, cause);
		}
	}

	/**
	 * Record a successful attempt: the end of an outage if attempts failed before it.
	 */
	public synchronized void succeeded() {
		if (this.failingSince == null) {
			return;
		}
		Duration outage = Duration.between(this.failingSince, this.clock.instant());
		this.logger.info("{} recovered after {}: {} {} failed ({})", this.what, describe(outage), this.failures,
				(this.failures == 1) ? "attempt" : "attempts", describeCauses());
		this.failingSince = null;
		this.failures = 0;
		this.otherCauses = 0;
		this.causes.clear();
	}

	/**
	 * Return whether the last attempt failed.
	 * @return whether the source is failing
	 */
	public synchronized boolean failing() {
		return this.failingSince != null;
	}

	/**
	 * Return a failure in a few words: the message of the innermost cause that has one, else its class.
	 * @param failure the failure
	 * @return the cause
	 */
	public static String causeOf(Throwable failure) {
		Throwable cause = failure;
		while ((cause instanceof ExecutionException || cause instanceof CompletionException)
				&& cause.getCause() != null) {
			cause = cause.getCause();
		}
		String message = cause.getMessage();
		return (message == null || message.isBlank()) ? cause.getClass().getSimpleName() : message;
	}

	static String describe(Duration duration) {
		return String.format(Locale.ROOT, "%.1f s", duration.toMillis() / 1000.0);
	}

	private String describeCauses() {
		StringJoiner joined = new StringJoiner("; ");
		this.causes.forEach((cause, count) -> joined.add((count > 1) ? count + "x " + cause : cause));
		if (this.otherCauses > 0) {
			joined.add(this.otherCauses + "x other causes");
		}
		return joined.toString();
	}

	/** One line, its middle cut when long: the end of a message usually names the root cause. */
	static String abbreviate(String cause) {
		String oneLine = String.valueOf(cause).replaceAll("\\s+", " ").trim();
		if (oneLine.length() <= MAX_CAUSE_LENGTH) {
			return oneLine;
		}
		int tail = MAX_CAUSE_LENGTH - CAUSE_HEAD - 3;
		return oneLine.substring(0, CAUSE_HEAD) + "..." + oneLine.substring(oneLine.length() - tail);
	}

}
