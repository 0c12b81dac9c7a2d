package io.github.s3lite.internal.follow;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

import org.junit.jupiter.api.Test;

import io.github.s3lite.internal.replication.WalPosition;
import io.github.s3lite.replication.ReplicaPosition;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A follower's bounded wait for a position, over a simulated refresher: it ends as soon as the position
 * is published, refreshes when it is not, never refreshes from two waiters at once nor faster than its
 * pace however many wait, and keeps trying, paced, through failing refreshes until its timeout.
 */
class PositionWaitsTests {

	private static final String GENERATION = "0123456789abcdef";

	private final AtomicReference<ReplicaPosition> published = new AtomicReference<>(at(1, 100));

	private final AtomicBoolean following = new AtomicBoolean(true);

	private final AtomicInteger refreshes = new AtomicInteger();

	private final ConcurrentLinkedQueue<Boolean> fullListings = new ConcurrentLinkedQueue<>();

	@Test
	void aPositionAlreadyPublishedIsReachedWithoutARefresh() throws Exception {
		PositionWaits waits = waits((full) -> fail());
		assertThat(waits.await(at(1, 100), Duration.ofSeconds(5))).isTrue();
		assertThat(waits.await(at(0, 4000), Duration.ZERO)).isTrue();
		assertThat(this.refreshes).hasValue(0);
	}

	@Test
	void anInstanceThatDoesNotFollowReachesAnyPositionAtOnce() throws Exception {
		this.following.set(false);
		PositionWaits waits = waits((full) -> fail());
		assertThat(waits.await(at(99, 0), Duration.ofSeconds(5))).isTrue();
		assertThat(this.refreshes).hasValue(0);
	}

	@Test
	void aZeroTimeoutLooksAtThePublishedPositionOnly() throws Exception {
		PositionWaits waits = waits((full) -> fail());
		assertThat(waits.await(at(1, 200), Duration.ZERO)).isFalse();
		assertThat(this.refreshes).hasValue(0);
	}

	@Test
	void aWaiterRefreshesUntilTheRefreshPublishesThePosition() throws Exception {
		PositionWaits[] waits = new PositionWaits[1];
		waits[0] = waits((full) -> {
			if (this.refreshes.get() == 3) {
				this.published.set(at(2, 32));
			}
			waits[0].checked();
		});
		assertThat(waits[0].await(at(1, 4000), Duration.ofSeconds(30))).isTrue();
		assertThat(this.refreshes).hasValue(3);
		assertThat(this.fullListings).containsOnly(false);
	}

	@Test
	void aPositionOfAnotherGenerationIsLookedForInAFullListing() throws Exception {
		PositionWaits waits = waits((full) -> this.published.set(new WalPosition("fedcba9876543210", 0, 32)));
		assertThat(waits.await(new WalPosition("fedcba9876543210", 0, 32), Duration.ofSeconds(30))).isTrue();
		assertThat(this.fullListings).containsExactly(true);
	}

	@Test
	void manyWaitersRefreshOneAtATimeAndNoFasterThanThePace() throws Exception {
		AtomicInteger inFlight = new AtomicInteger();
		AtomicInteger mostInFlight = new AtomicInteger();
		PositionWaits[] waits = new PositionWaits[1];
		waits[0] = waits((full) -> {
			mostInFlight.accumulateAndGet(inFlight.incrementAndGet(), Math::max);
			LockSupport.parkNanos(Duration.ofMillis(20).toNanos());
			inFlight.decrementAndGet();
			waits[0].checked();
		});
		ExecutorService threads = Executors.newFixedThreadPool(8);
		try {
			long started = System.nanoTime();
			List<Future<Boolean>> results = new ArrayList<>();
			for (int i = 0; i < 8; i++) {
				results.add(threads.submit(() -> waits[0].await(at(7, 0), Duration.ofSeconds(1))));
			}
			for (Future<Boolean> result : results) {
				assertThat(result.get()).as("a position that never comes").isFalse();
			}
			long window = System.nanoTime() - started;
			assertThat(mostInFlight).hasValue(1);
			// one refresh, then one per pace at most (each ends a check that starts the next pace)
			assertThat(this.refreshes.get()).isBetween(2, (int) (window / PositionWaits.PACE.toNanos()) + 1);
		}
		finally {
			threads.shutdownNow();
		}
	}

	@Test
	void failingRefreshesAreRetriedAtThePaceUntilTheTimeout() throws Exception {
		PositionWaits waits = waits((full) -> {
			throw new IOException("replica unreachable");
		});
		long started = System.nanoTime();
		assertThat(waits.await(at(7, 0), Duration.ofSeconds(1))).isFalse();
		long window = System.nanoTime() - started;
		assertThat(this.refreshes.get()).isBetween(2, (int) (window / PositionWaits.PACE.toNanos()) + 1);
	}

	@Test
	void aWaiterEndsWhenTheInstanceStopsFollowing() throws Exception {
		PositionWaits[] waits = new PositionWaits[1];
		waits[0] = waits((full) -> {
			this.following.set(false);
			waits[0].checked();
		});
		assertThat(waits[0].await(at(7, 0), Duration.ofSeconds(30))).isTrue();
		assertThat(this.refreshes).hasValue(1);
	}

	private PositionWaits waits(PositionWaits.Refresh refresh) {
		return new PositionWaits(this.following::get, this.published::get, (full) -> {
			this.refreshes.incrementAndGet();
			this.fullListings.add(full);
			refresh.refresh(full);
		});
	}

	private static void fail() {
		throw new AssertionError("no refresh expected");
	}

	private static WalPosition at(long index, long offset) {
		return new WalPosition(GENERATION, index, offset);
	}

}
