package io.github.s3lite.internal.follow;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What a follower's probe costs over an hour, with the default {@code s3lite.follower.refresh-interval}
 * (1 s), on a simulated clock. Each probe is one LIST request on a replica with fewer than 1,000 new
 * objects (a full listing: fewer than 1,000 objects), which {@code FollowerRefreshTests} counts through
 * a proxy; the figures are in docs/followers.md.
 */
class ProbeCadenceTests {

	private static final Duration INTERVAL = Duration.ofSeconds(1);

	private static final long HOUR = Duration.ofHours(1).toNanos();

	@Test
	void anIdleFollowerProbesAtMost400TimesAnHourOnceTheReplicaHasBeenIdleForAMinute() {
		Hour idle = simulate(HOUR, HOUR, Long.MAX_VALUE);
		assertThat(idle.probes()).isLessThanOrEqualTo(400).isGreaterThanOrEqualTo(355);
		assertThat(idle.fullListings()).isEqualTo(idle.probes() / ProbeCadence.FULL_LISTING_EVERY);
		assertThat(idle.longestDelay()).isEqualTo(ProbeCadence.MAX_IDLE);
	}

	@Test
	void theHourAfterTheLastMoveCostsTheHotMinuteMore() {
		Hour afterMove = simulate(0, HOUR, Long.MAX_VALUE);
		assertThat(afterMove.probes()).isLessThanOrEqualTo(460);
	}

	@Test
	void whileTheReplicaMovesEverySecondAFollowerProbesEveryInterval() {
		Hour busy = simulate(0, HOUR, Duration.ofSeconds(1).toNanos());
		assertThat(busy.probes()).isBetween(3_590L, 3_600L);
		assertThat(busy.longestDelay()).isEqualTo(INTERVAL);
	}

	@Test
	void aReplicaThatMovesOnlyOnceAMinuteCostsAFewProbesAMinuteNotAMinuteOfThem() {
		// lone moves: a write a minute, or litestream's checkpoint of a database idle for a checkpoint-interval
		// (its _litestream_seq write is a new WAL segment), with the old cadence a hot minute each
		Hour litestreamIdle = simulate(HOUR, HOUR, Duration.ofSeconds(62).toNanos());
		assertThat(litestreamIdle.probes()).isLessThanOrEqualTo(540);
		assertThat(litestreamIdle.longestDelay()).isEqualTo(ProbeCadence.MAX_IDLE);
	}

	@Test
	void twoMovesWithinTheActiveGapKeepAFollowerAtTheIntervalAsLongAsTheyGoOn() {
		Hour sporadicWrites = simulate(HOUR, HOUR, Duration.ofSeconds(20).toNanos());
		assertThat(sporadicWrites.probes()).isGreaterThan(3_400L);
	}

	@Test
	void aLoneMoveBringsTheDelayBackToTheIntervalFromWhichItDoublesAgain() {
		ProbeCadence cadence = new ProbeCadence(INTERVAL, 0);
		long now = HOUR;
		cadence.probed(false, now);
		assertThat(cadence.nextDelay(now)).isEqualTo(Duration.ofSeconds(2));
		cadence.probed(true, now);
		assertThat(cadence.nextDelay(now)).isEqualTo(Duration.ofSeconds(2));
		assertThat(cadence.nextDelay(now)).isEqualTo(Duration.ofSeconds(4));
		now += Duration.ofSeconds(6).toNanos();
		cadence.probed(true, now);
		assertThat(cadence.nextDelay(now)).isEqualTo(INTERVAL);
	}

	@Test
	void anIntervalLongerThanTheIdleCeilingIsNeverShortenedNorLengthened() {
		ProbeCadence cadence = new ProbeCadence(Duration.ofSeconds(30), 0);
		long now = HOUR;
		for (int i = 0; i < 10; i++) {
			assertThat(cadence.nextDelay(now)).isEqualTo(Duration.ofSeconds(30));
			now += Duration.ofSeconds(30).toNanos();
			cadence.probed(false, now);
		}
	}

	/**
	 * Probe for {@code length}, the replica last moved {@code idleFor} before the start and moves every
	 * {@code moveEvery} from then on.
	 */
	private static Hour simulate(long idleFor, long length, long moveEvery) {
		long start = idleFor;
		ProbeCadence cadence = new ProbeCadence(INTERVAL, 0);
		long now = start;
		long nextMove = (moveEvery == Long.MAX_VALUE) ? Long.MAX_VALUE : start + moveEvery;
		long probes = 0;
		long full = 0;
		Duration longest = Duration.ZERO;
		while (true) {
			Duration delay = cadence.nextDelay(now);
			longest = (delay.compareTo(longest) > 0) ? delay : longest;
			now += delay.toNanos();
			if (now > start + length) {
				return new Hour(probes, full, longest);
			}
			full += cadence.fullListingNext() ? 1 : 0;
			boolean moved = now >= nextMove;
			while (nextMove <= now) {
				nextMove += moveEvery;
			}
			cadence.probed(moved, now);
			probes++;
		}
	}

	private record Hour(long probes, long fullListings, Duration longestDelay) {
	}

}
