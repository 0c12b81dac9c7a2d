package io.github.s3lite.internal.litestream;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Consumer;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.s3lite.internal.replication.OutageLog;

/**
 * Relays litestream's output to the logger {@code io.github.s3lite.litestream.output}, for every process of
 * one replication (it outlives restarts):
 * <ul>
 * <li>an ERROR or WARN line saying the replica is unreachable (its error is a network failure or an S3
 * server error: {@link #UNREACHABLE}) is a failed upload attempt of an {@link OutageLog}: one WARN when the
 * first fails, DEBUG after it, and one INFO with the outage's duration when litestream writes to the
 * replica again ({@code wal segment written}, {@code snapshot written});</li>
 * <li>any other ERROR or WARN line is logged at its level, at most once a minute per distinct message
 * (litestream's {@code msg}, without its fields); its repeats within that minute go to DEBUG;</li>
 * <li>INFO lines go to DEBUG, DEBUG lines to TRACE.</li>
 * </ul>
 */
final class LitestreamOutputLog implements Consumer<LitestreamLogEvent> {

	static final Logger output = LoggerFactory.getLogger("io.github.s3lite.litestream.output");

	/** How long a repeated ERROR or WARN line that is not about an unreachable replica stays at DEBUG. */
	static final Duration REPEAT_WINDOW = Duration.ofMinutes(1);

	/** What, in the error of a line, says that the replica is unreachable (lower case). */
	static final List<String> UNREACHABLE = List.of("requesterror", "send request failed", "connection refused",
			"connection reset", "eof", "timeout", "timed out", "dial tcp", "no such host", "broken pipe",
			"network is unreachable", "status code: 5", "serviceunavailable", "slowdown", "internalerror");

	private final OutageLog uploads;

	private final Clock clock;

	private final Map<String, Instant> lastLogged = new HashMap<>();

	/**
	 * Create the relay of one replication.
	 * @param database the database
	 * @param replica the replica
	 * @param clock the clock of the outage and of the repeat window
	 */
	LitestreamOutputLog(Object database, Object replica, Clock clock) {
		this.uploads = new OutageLog(output, "litestream replication of " + database + " to " + replica, clock);
		this.clock = clock;
	}

	@Override
	public void accept(LitestreamLogEvent event) {
		switch (event.level()) {
			case "ERROR", "WARN" -> problem(event);
			case "INFO" -> {
				output.debug("{}", event.describe());
				if ("wal segment written".equals(event.message()) || "snapshot written".equals(event.message())) {
					this.uploads.succeeded();
				}
			}
			default -> output.trace("{}", event.describe());
		}
	}

	private synchronized void problem(LitestreamLogEvent event) {
		String error = event.fields().getOrDefault("error", event.message());
		if (isUnreachable(error)) {
			this.uploads.failed(event.message() + ": " + error);
			return;
		}
		Instant now = this.clock.instant();
		String key = event.level() + " " + event.message();
		Instant last = this.lastLogged.get(key);
		if (last != null && now.isBefore(last.plus(REPEAT_WINDOW))) {
			output.debug("{} (repeated)", event.describe());
			return;
		}
		this.lastLogged.put(key, now);
		if (event.isError()) {
			output.error("{}", event.describe());
		}
		else {
			output.warn("{}", event.describe());
		}
	}

	static boolean isUnreachable(String error) {
		String lower = error.toLowerCase(Locale.ROOT);
		return UNREACHABLE.stream().anyMatch(lower::contains);
	}

}
