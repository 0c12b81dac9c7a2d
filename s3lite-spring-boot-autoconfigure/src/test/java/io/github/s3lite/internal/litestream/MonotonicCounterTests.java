package io.github.s3lite.internal.litestream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Counters read from litestream restart from zero with every process; s3lite's never go backwards.
 */
class MonotonicCounterTests {

	@Test
	void aNewProcessAddsItsCountToWhatEarlierProcessesReached() {
		MonotonicCounter counter = new MonotonicCounter();
		assertThat(counter.update(100, 3)).isEqualTo(3);
		assertThat(counter.update(100, 7)).isEqualTo(7);
		assertThat(counter.update(200, 0)).isEqualTo(7);
		assertThat(counter.update(200, 2)).isEqualTo(9);
		assertThat(counter.total()).isEqualTo(9);
	}

	@Test
	void aNewProcessWhoseFirstReadingIsAlreadyHigherStillAddsToTheTotal() {
		MonotonicCounter counter = new MonotonicCounter();
		counter.update(100, 5);
		assertThat(counter.update(200, 8)).isEqualTo(13);
	}

	@Test
	void neverDecreasesWhenAProcessReportsLess() {
		MonotonicCounter counter = new MonotonicCounter();
		counter.update(100, 5);
		assertThat(counter.update(100, 1)).isGreaterThanOrEqualTo(5);
	}

}
