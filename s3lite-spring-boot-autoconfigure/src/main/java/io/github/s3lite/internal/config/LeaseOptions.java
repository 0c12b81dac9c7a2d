package io.github.s3lite.internal.config;

import java.net.InetAddress;
import java.time.Duration;
import io.github.s3lite.config.S3liteProperties;

/**
 * Validated {@code s3lite.lease.*} settings.
 *
 * @param enabled whether the single-writer lease is taken on {@code s3lite.backup-to} (by default
 * whenever it is set)
 * @param ttl time to live of the lease
 * @param owner the name written as the lease's owner
 * @param refreshInterval how often a follower refreshes from the replica ({@code s3lite.follower.refresh-interval}),
 * {@link Duration#ZERO} when only on demand
 * @param requestHandover whether a follower started while another instance holds the lease asks it to hand
 * over ({@code s3lite.follower.request-handover})
 * @param readYourWritesTimeout how long a follower's request waits for the position it carries
 * ({@code s3lite.follower.read-your-writes-timeout}), {@link Duration#ZERO} for not at all
 */
public record LeaseOptions(boolean enabled, Duration ttl, String owner, Duration refreshInterval,
		boolean requestHandover, Duration readYourWritesTimeout) {

	/**
	 * Create the settings with a follower's defaults: a refresh every second, read-your-writes waits of 5s.
	 * @param enabled whether the lease is taken
	 * @param ttl time to live of the lease
	 * @param owner the name written as the lease's owner
	 */
	public LeaseOptions(boolean enabled, Duration ttl, String owner) {
		this(enabled, ttl, owner, Duration.ofSeconds(1), true, Duration.ofSeconds(5));
	}

	static final Duration MIN_TTL = Duration.ofSeconds(1);

	static LeaseOptions from(S3liteProperties.Lease properties, S3liteProperties.Follower follower,
			ReplicaUrl backupTo) {
		Duration refreshInterval = follower.getRefreshInterval();
		if (refreshInterval != null && refreshInterval.isNegative()) {
			throw new InvalidS3liteConfigException("s3lite.follower.refresh-interval", refreshInterval,
					"it must not be negative", "Use 0 (refresh only on demand) or a value with a unit, such as 1s.");
		}
		Duration readYourWritesTimeout = follower.getReadYourWritesTimeout();
		if (readYourWritesTimeout != null && readYourWritesTimeout.isNegative()) {
			throw new InvalidS3liteConfigException("s3lite.follower.read-your-writes-timeout", readYourWritesTimeout,
					"it must not be negative", "Use 0 (do not wait) or a value with a unit, such as 5s.");
		}
		Duration ttl = properties.getTtl();
		if (ttl == null || ttl.compareTo(MIN_TTL) < 0) {
			throw new InvalidS3liteConfigException("s3lite.lease.ttl", ttl, "it must be at least 1s",
					"Use the default, 30s: the holder renews every ttl/3 and stops writing ttl/6 before expiry.");
		}
		boolean enabled = enabled(properties.getEnabled(), backupTo != null);
		if (enabled && backupTo == null) {
			throw new InvalidS3liteConfigException("s3lite.lease.enabled", true,
					"the lease lives on the replica and s3lite.backup-to is not set",
					"Set s3lite.backup-to, or set s3lite.lease.enabled=false.");
		}
		String owner = properties.getOwner();
		return new LeaseOptions(enabled, ttl, (owner == null || owner.isBlank()) ? defaultOwner() : owner.strip(),
				(refreshInterval != null) ? refreshInterval : Duration.ZERO, follower.isRequestHandover(),
				(readYourWritesTimeout != null) ? readYourWritesTimeout : Duration.ZERO);
	}

	/**
	 * Return whether the lease is on: {@code s3lite.lease.enabled} when set, else whether
	 * {@code s3lite.backup-to} is set.
	 * @param enabled {@code s3lite.lease.enabled}, or {@code null} when not set
	 * @param backupToSet whether {@code s3lite.backup-to} is set
	 * @return whether the lease is on
	 */
	public static boolean enabled(Boolean enabled, boolean backupToSet) {
		return (enabled != null) ? enabled : backupToSet;
	}

	/**
	 * Return the default owner name: host name and process id, e.g. {@code web-7f9c-1234}.
	 * @return the name
	 */
	static String defaultOwner() {
		String host;
		try {
			host = InetAddress.getLocalHost().getHostName();
		}
		catch (Exception ex) {
			host = "unknown-host";
		}
		return host + "-" + ProcessHandle.current().pid();
	}

}
