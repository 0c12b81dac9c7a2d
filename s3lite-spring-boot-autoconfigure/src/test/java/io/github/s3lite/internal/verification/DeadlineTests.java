package io.github.s3lite.internal.verification;

import java.time.Duration;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@link Deadline} on a fake ticker.
 */
class DeadlineTests {

	private final AtomicLong now = new AtomicLong(1_000);

	@Test
	void eachStepGetsWhatThePreviousStepsLeft() {
		Deadline deadline = Deadline.after(Duration.ofSeconds(10), this.now::get);
		assertThat(deadline.remaining()).isEqualTo(Duration.ofSeconds(10));
		this.now.addAndGet(Duration.ofSeconds(3).toNanos());
		assertThat(deadline.remaining()).isEqualTo(Duration.ofSeconds(7));
		assertThat(deadline.expired()).isFalse();
		assertThat(deadline.budget()).isEqualTo(Duration.ofSeconds(10));
	}

	@Test
	void nothingIsLeftOnceTheBudgetIsSpentAndTheRemainderIsNeverNegative() {
		Deadline deadline = Deadline.after(Duration.ofSeconds(10), this.now::get);
		this.now.addAndGet(Duration.ofSeconds(10).toNanos());
		assertThat(deadline.expired()).isTrue();
		this.now.addAndGet(Duration.ofSeconds(5).toNanos());
		assertThat(deadline.remaining()).isZero();
	}

}
