package io.github.s3lite.internal.health;

import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;

import io.github.s3lite.internal.follow.FollowerStatus;

/**
 * A follower's staleness as shown by health ({@code follower}): what its readers see and how old it is,
 * and whether that makes the instance DOWN. Decided without I/O from the status the follower last
 * reported.
 */
public final class FollowerDetails {

	private FollowerDetails() {
	}

	/**
	 * Return the details of a follower's status.
	 * @param status the status
	 * @param refreshInterval {@code s3lite.follower.refresh-interval}, {@link Duration#ZERO} for on demand
	 * only
	 * @param now the current time
	 * @return {@code position} (what the readers see, {@code null} before the first refresh),
	 * {@code checkedAt}, {@code age}, {@code refreshInterval} and {@code failing}, in that order
	 */
	public static Map<String, Object> of(FollowerStatus status, Duration refreshInterval, Instant now) {
		Map<String, Object> details = new LinkedHashMap<>();
		details.put("position", (status.position() != null) ? status.position().toString() : null);
		details.put("checkedAt", status.checkedAt().toString());
		details.put("age", Duration.ofMillis(status.age(now).toMillis()).toString());
		details.put("refreshInterval", refreshInterval.toString());
		details.put("failing", status.failing());
		return details;
	}

	/**
	 * Return why a follower is DOWN: the data its readers see is older than {@code max-lag}, unless it
	 * refreshes on demand only (then its age is shown and nothing more).
	 * @param status the status
	 * @param refreshInterval {@code s3lite.follower.refresh-interval}
	 * @param maxLag {@code s3lite.health.max-lag}
	 * @param now the current time
	 * @return the reason, {@code null} when the follower is fresh enough
	 */
	public static String downReason(FollowerStatus status, Duration refreshInterval, Duration maxLag, Instant now) {
		Duration age = status.age(now);
		if (refreshInterval.isZero() || age.compareTo(maxLag) <= 0) {
			return null;
		}
		return "the data this follower serves is " + Duration.ofMillis(age.toMillis()) + " old (the replica was last "
				+ "seen holding nothing newer at " + status.checkedAt() + "), more than s3lite.health.max-lag ("
				+ maxLag + ")" + (status.failing() ? "; its refreshes are failing (is the replica reachable?)" : "");
	}

}
