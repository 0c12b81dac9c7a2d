package io.github.s3lite.internal.health;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;

import org.junit.jupiter.api.Test;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

import io.github.s3lite.internal.lease.LeaseStatus;
import io.github.s3lite.replication.Replication;
import io.github.s3lite.replication.ReplicationStatus;

import static org.assertj.core.api.Assertions.assertThat;
import io.github.s3lite.health.S3liteHealthIndicator;

/**
 * Health says whether this instance accepts writes ({@code writable}, {@code writableReason}) and is
 * DOWN while a lone instance refuses them: rules over a {@link LeaseStatus}, without S3.
 */
class WritableHealthTests {

	private static final Instant NOW = Instant.parse("2026-09-01T10:00:00Z");

	private LeaseStatus lease;

	private boolean leaseUnreadAtStartup;

	@Test
	void anInstanceWithoutALeaseIsWritable() {
		Health health = new S3liteHealthIndicator(notConfigured(), Duration.ofMinutes(1), () -> null,
				Clock.systemUTC()).health();
		assertThat(health.getStatus()).isEqualTo(Status.UP);
		assertThat(health.getDetails()).containsEntry("writable", true).doesNotContainKey("writableReason");
	}

	@Test
	void theWriterIsWritable() {
		this.lease = lease(true, "writer", "web-1", NOW.plusSeconds(30));
		Health health = indicator().health();
		assertThat(health.getStatus()).isEqualTo(Status.UP);
		assertThat(health.getDetails()).containsEntry("writable", true).doesNotContainKey("writableReason");
	}

	@Test
	void aFollowerOfALiveHolderIsUpAndSaysTheHolderAcceptsTheWrites() {
		this.lease = lease(false, "follower", "web-2", NOW.plusSeconds(30));
		Health health = indicator().health();
		assertThat(health.getStatus()).isEqualTo(Status.UP);
		assertThat(health.getDetails()).containsEntry("writable", false);
		assertThat((String) health.getDetails().get("writableReason")).contains("follower", "serves reads",
				"held by 'web-2' (lease until 2026-09-01T10:00:30Z)");
	}

	@Test
	void aLoneInstanceThatCouldNotReadTheLeaseAtStartupIsDownWhileItRefusesWrites() {
		this.lease = lease(false, "follower", null, null);
		this.leaseUnreadAtStartup = true;
		Health health = indicator().health();
		assertThat(health.getStatus()).isEqualTo(Status.DOWN);
		assertThat(health.getDetails()).containsEntry("writable", false);
		assertThat((String) health.getDetails().get("writableReason")).contains("could not be read at startup",
				"writes are refused");
		assertThat(health.getDetails().get("reason")).isEqualTo(health.getDetails().get("writableReason"));
	}

	@Test
	void suchAnInstanceIsUpOnceItKnowsAHolder() {
		this.leaseUnreadAtStartup = true;
		this.lease = lease(false, "follower", "web-2", NOW.plusSeconds(30));
		assertThat(indicator().health().getStatus()).isEqualTo(Status.UP);
		this.lease = lease(true, "writer", "web-1", NOW.plusSeconds(30));
		Health health = indicator().health();
		assertThat(health.getStatus()).isEqualTo(Status.UP);
		assertThat(health.getDetails()).containsEntry("writable", true);
	}

	@Test
	void aFollowerThatCouldNotTakeTheLeaseOfAHolderThatExpiredIsDownUntilItDoes() {
		this.lease = lease(false, "follower", "web-2", NOW.minus(Writability.EXPIRED_HOLDER_GRACE));
		assertThat(indicator().health().getStatus()).as("within the grace its next poll takes the lease")
			.isEqualTo(Status.UP);
		this.lease = lease(false, "follower", "web-2", NOW.minusSeconds(30));
		Health health = indicator().health();
		assertThat(health.getStatus()).isEqualTo(Status.DOWN);
		assertThat(health.getDetails()).containsEntry("writable", false);
		assertThat((String) health.getDetails().get("writableReason")).contains("lease of 'web-2' expired",
				"no instance is known to accept writes");
	}

	@Test
	void aFencedInstanceIsDownAndNotWritable() {
		this.lease = new LeaseStatus(false, "web-1", "web-2", NOW, 5, 3, 1, "the lease was taken by 'web-2'", NOW,
				"fenced", 0, null);
		Health health = indicator().health();
		assertThat(health.getStatus()).isEqualTo(Status.DOWN);
		assertThat(health.getDetails()).containsEntry("writable", false);
		assertThat((String) health.getDetails().get("writableReason")).contains("fenced",
				"the lease was taken by 'web-2'");
	}

	@Test
	void anInstanceCatchingUpOrHandingOverIsUpAndNotWritable() {
		for (String role : new String[] { "promoting", "handing-over" }) {
			this.lease = lease(false, role, "web-1", NOW.plusSeconds(30));
			Health health = indicator().health();
			assertThat(health.getStatus()).as(role).isEqualTo(Status.UP);
			assertThat(health.getDetails()).as(role).containsEntry("writable", false).containsKey("writableReason");
		}
	}

	private S3liteHealthIndicator indicator() {
		return new S3liteHealthIndicator(notConfigured(), Duration.ofMinutes(1), () -> null, Clock.fixed(NOW, ZoneOffset.UTC),
				() -> this.lease)
			.withLeaseUnreadAtStartup(() -> this.leaseUnreadAtStartup);
	}

	private static LeaseStatus lease(boolean writer, String role, String holder, Instant expiresAt) {
		return new LeaseStatus(writer, "web-1", holder, expiresAt, 4, 0, 0, writer ? null : "it does not hold the lease",
				null, role, 0, null);
	}

	private static Replication notConfigured() {
		return new Replication() {

			@Override
			public void sync(Duration timeout) {
				throw new UnsupportedOperationException();
			}

			@Override
			public ReplicationStatus status() {
				return ReplicationStatus.NOT_CONFIGURED;
			}

			@Override
			public void stop() {
			}

		};
	}

}
