package io.github.s3lite.internal.lease;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;

import io.github.s3lite.test.MutableClock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The lease's clock arithmetic and its JSON, with a clock moved by hand.
 */
class LeaseTimingTests {

	private static final Instant T0 = Instant.parse("2026-09-01T10:00:00Z");

	private final LeaseTiming timing = new LeaseTiming(Duration.ofSeconds(30));

	@Test
	void aLeaseWrittenAtT0ExpiresAfterTheTtlIsRenewedEveryThirdAndFencesASixthBeforeExpiry() {
		Instant expiresAt = this.timing.expiresAt(T0);
		assertThat(expiresAt).isEqualTo(T0.plusSeconds(30));
		assertThat(this.timing.nextRenewal(T0)).isEqualTo(T0.plusSeconds(10));
		assertThat(this.timing.fenceAt(expiresAt)).isEqualTo(T0.plusSeconds(25));
	}

	@Test
	void aHolderGetsTwoRenewalAttemptsOnScheduleBeforeItFences() {
		Instant fenceAt = this.timing.fenceAt(this.timing.expiresAt(T0));
		Instant first = this.timing.nextRenewal(T0);
		Instant second = this.timing.nextRenewal(first);
		assertThat(first).isBefore(fenceAt);
		assertThat(second).isBefore(fenceAt);
		assertThat(this.timing.nextRenewal(second)).isAfter(fenceAt);
	}

	@Test
	void aFailedRenewalIsRetriedSoonButNeverAfterTheFencingDeadline() {
		Instant fenceAt = this.timing.fenceAt(this.timing.expiresAt(T0));
		assertThat(this.timing.retryAfterFailure(T0.plusSeconds(10), fenceAt)).isEqualTo(T0.plusSeconds(12));
		assertThat(this.timing.retryAfterFailure(T0.plusSeconds(24), fenceAt)).isEqualTo(fenceAt);
	}

	@Test
	void aHolderStopsWritingBeforeASuccessorWhoseClockIsAheadByLessThanASixthCanTakeOver() {
		MutableClock holder = new MutableClock(T0);
		LeaseRecord written = new LeaseRecord(1, this.timing.expiresAt(holder.instant()), "a");
		Instant holderStops = this.timing.fenceAt(written.expiresAt());
		// a successor whose clock runs 4.9s ahead sees the lease expire 4.9s early, in real time
		Duration skew = this.timing.fenceMargin().minusMillis(100);
		Instant successorTakesOverInRealTime = written.expiresAt().minus(skew);
		assertThat(holderStops).isBefore(successorTakesOverInRealTime);
		assertThat(written.isExpiredAt(written.expiresAt())).isFalse();
		assertThat(written.isExpiredAt(written.expiresAt().plusMillis(1))).isTrue();
	}

	@Test
	void aTtlUnderOneSecondIsRefused() {
		assertThatIllegalArgumentException().isThrownBy(() -> new LeaseTiming(Duration.ofMillis(999)));
	}

	@Test
	void theLeaseIsWrittenAsThreeFieldJsonAndReadBackLeniently() {
		LeaseRecord record = new LeaseRecord(7, T0, "web \"1\"");
		assertThat(new String(record.toJson(), StandardCharsets.UTF_8))
			.isEqualTo("{\"generation\":7,\"expires_at\":\"2026-09-01T10:00:00Z\",\"owner\":\"web \\\"1\\\"\"}");
		assertThat(LeaseRecord.parse(record.toJson())).isEqualTo(record);
		String goStyle = "{ \"owner\": \"host-1\", \"extra\": [1, 2],\n \"expires_at\": \"2026-09-01T12:00:00.123456789+02:00\", "
				+ "\"generation\": 42 }";
		assertThat(LeaseRecord.parse(goStyle.getBytes(StandardCharsets.UTF_8)))
			.isEqualTo(new LeaseRecord(42, Instant.parse("2026-09-01T10:00:00.123456789Z"), "host-1"));
		assertThat(LeaseRecord.parse("{\"expires_at\":\"2026-09-01T10:00:00Z\"}".getBytes(StandardCharsets.UTF_8)))
			.isEqualTo(new LeaseRecord(0, T0, "unknown"));
		assertThatIllegalArgumentException().isThrownBy(() -> LeaseRecord.parse("{}".getBytes(StandardCharsets.UTF_8)));
	}

}
