package io.github.s3lite.internal.lifecycle;

import java.sql.SQLException;
import java.time.Duration;
import java.time.Instant;
import java.util.EnumSet;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import io.github.s3lite.test.MutableClock;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;
import io.github.s3lite.replication.NotWriterException;

/**
 * The lifecycle's state machine with a clock moved by hand: every allowed transition, the refusal of
 * the others, the one answer to "may this instance write" (state and fencing deadline), the fence and
 * its actions, and races settled by {@link DatabaseLifecycle#moveFrom}.
 */
class DatabaseLifecycleTests {

	private static final Instant T0 = Instant.parse("2026-12-07T10:00:00Z");

	private final MutableClock clock = new MutableClock(T0);

	private final DatabaseLifecycle lifecycle = new DatabaseLifecycle(this.clock, "s3://bucket/app", "me");

	@Test
	void aNewLifecycleIsStartingAndRefusesWrites() {
		assertThat(this.lifecycle.state()).isEqualTo(LifecycleState.STARTING);
		assertThat(this.lifecycle.isWriter()).isFalse();
		assertThat(this.lifecycle.notWritingReason()).isEqualTo("it is starting");
	}

	@Test
	void onlyTheWritingStateAcceptsWrites() {
		this.lifecycle.moveTo(LifecycleState.WRITING, "caught up");
		assertThat(this.lifecycle.isWriter()).isTrue();
		assertThat(this.lifecycle.notWritingReason()).isNull();
		this.lifecycle.moveTo(LifecycleState.HANDING_OVER, "requested");
		assertThat(this.lifecycle.isWriter()).isFalse();
		assertThat((Object) this.lifecycle.notWriter(null)).isInstanceOf(NotWriterException.class);
		assertThat(this.lifecycle.notWriter(null).getMessage()).contains("('me') is not the writer of s3://bucket/app (it is handing-over)");
	}

	@ParameterizedTest
	@EnumSource(LifecycleState.class)
	void everyStateMovesOnlyToTheStatesTheDiagramShows(LifecycleState from) {
		EnumSet<LifecycleState> allowed = switch (from) {
			case STARTING -> EnumSet.of(LifecycleState.FOLLOWING, LifecycleState.WRITING, LifecycleState.FAILED,
					LifecycleState.STOPPED);
			case FOLLOWING -> EnumSet.of(LifecycleState.PROMOTING, LifecycleState.STOPPED);
			case PROMOTING -> EnumSet.of(LifecycleState.WRITING, LifecycleState.FOLLOWING, LifecycleState.FENCED,
					LifecycleState.STOPPED);
			case WRITING -> EnumSet.of(LifecycleState.HANDING_OVER, LifecycleState.FENCED, LifecycleState.STOPPED);
			case HANDING_OVER -> EnumSet.of(LifecycleState.FOLLOWING, LifecycleState.WRITING, LifecycleState.FENCED,
					LifecycleState.STOPPED);
			case FENCED -> EnumSet.of(LifecycleState.PROMOTING, LifecycleState.FOLLOWING, LifecycleState.STOPPED);
			case FAILED -> EnumSet.of(LifecycleState.STOPPED);
			case STOPPED -> EnumSet.noneOf(LifecycleState.class);
		};
		for (LifecycleState to : LifecycleState.values()) {
			assertThat(from.canMoveTo(to)).as("%s -> %s", from, to).isEqualTo(allowed.contains(to));
		}
	}

	@Test
	void aTransitionTheDiagramDoesNotShowIsRefusedAndChangesNothing() {
		assertThatIllegalStateException().isThrownBy(() -> this.lifecycle.moveTo(LifecycleState.HANDING_OVER, "x"))
			.withMessageContaining("cannot move from STARTING to HANDING_OVER");
		assertThat(this.lifecycle.state()).isEqualTo(LifecycleState.STARTING);
		assertThat(this.lifecycle.history()).isEmpty();
	}

	@Test
	void aWriterStopsWritingAtItsFencingDeadlineWithoutAnyThreadNoticing() {
		this.lifecycle.writeUntil(T0.plusSeconds(25));
		this.lifecycle.moveTo(LifecycleState.WRITING, "caught up");
		this.clock.advance(Duration.ofSeconds(24));
		assertThat(this.lifecycle.isWriter()).isTrue();
		this.clock.advance(Duration.ofSeconds(1));
		assertThat(this.lifecycle.isWriter()).isFalse();
		assertThat(this.lifecycle.state()).isEqualTo(LifecycleState.FENCED);
		assertThat(this.lifecycle.fencedAt()).isEqualTo(T0.plusSeconds(25));
		assertThat(this.lifecycle.notWritingReason()).contains("not renewed by " + T0.plusSeconds(25));
		this.lifecycle.writeUntil(T0.plusSeconds(50));
		assertThat(this.lifecycle.isWriter()).as("renewed before the keeper fenced it").isTrue();
	}

	@ParameterizedTest
	@EnumSource(names = { "WRITING", "PROMOTING", "HANDING_OVER" })
	void aFenceFromAStateThatMayReplicateEntersFencedAndRunsEveryFencedAction(LifecycleState from) {
		List<String> ran = new CopyOnWriteArrayList<>();
		this.lifecycle.whenFenced(() -> ran.add("halt"));
		moveToState(from);
		this.clock.advance(Duration.ofSeconds(3));
		this.lifecycle.fence("its lease was taken over by 'other'", "'other' until later");
		assertThat(this.lifecycle.state()).isEqualTo(LifecycleState.FENCED);
		assertThat(this.lifecycle.fencedAt()).isEqualTo(T0.plusSeconds(3));
		await().untilAsserted(() -> assertThat(ran).containsExactly("halt"));
		SQLException refused = this.lifecycle.notWriter(null);
		assertThat(refused.getMessage()).contains("its lease was taken over by 'other'")
			.contains("the lease is held by 'other' until later");
		assertThat(((NotWriterException) refused).getHolder()).isEqualTo("'other' until later");
	}

	@ParameterizedTest
	@EnumSource(names = { "STARTING", "FOLLOWING", "FENCED", "STOPPED" })
	void aFenceOfAnInstanceThatDoesNotReplicateOnlyRemembersTheHolder(LifecycleState from) throws Exception {
		List<String> ran = new CopyOnWriteArrayList<>();
		moveToState(from);
		this.lifecycle.whenFenced(() -> ran.add("halt"));
		this.lifecycle.fence("lost", "'other'");
		assertThat(this.lifecycle.state()).isEqualTo(from);
		Thread.sleep(100); // an action would run on a thread of its own: give it the chance to show up
		assertThat(ran).isEmpty();
		assertThat(((NotWriterException) this.lifecycle.notWriter(null)).getHolder()).isEqualTo("'other'");
	}

	@Test
	void aMoveFromAnExpectedStateLosesToAFenceThatCameFirst() {
		moveToState(LifecycleState.PROMOTING);
		this.lifecycle.fence("its lease could not be renewed", null);
		assertThat(this.lifecycle.moveFrom(LifecycleState.PROMOTING, LifecycleState.WRITING, "caught up")).isFalse();
		assertThat(this.lifecycle.state()).isEqualTo(LifecycleState.FENCED);
		assertThat(this.lifecycle.isWriter()).isFalse();
	}

	@Test
	void theHistoryKeepsTheLastTwentyTransitionsWithTheirReasonsOldestFirst() {
		this.lifecycle.moveTo(LifecycleState.FOLLOWING, "held elsewhere");
		for (int i = 0; i < 15; i++) {
			this.clock.advance(Duration.ofSeconds(1));
			this.lifecycle.moveTo(LifecycleState.PROMOTING, "lease taken " + i);
			this.lifecycle.moveTo(LifecycleState.FOLLOWING, "promotion failed " + i);
		}
		List<LifecycleTransition> history = this.lifecycle.history();
		assertThat(history).hasSize(20);
		assertThat(history.get(19)).isEqualTo(new LifecycleTransition(LifecycleState.PROMOTING,
				LifecycleState.FOLLOWING, T0.plusSeconds(15), "promotion failed 14"));
		assertThat(history.get(0).reason()).isEqualTo("lease taken 5");
		assertThat(this.lifecycle.since()).isEqualTo(T0.plusSeconds(15));
	}

	@Test
	void stoppingIsAllowedFromEveryStateOnceAndRefusesWritesForGood() {
		this.lifecycle.moveTo(LifecycleState.WRITING, "caught up");
		this.lifecycle.stop();
		this.lifecycle.stop();
		assertThat(this.lifecycle.state()).isEqualTo(LifecycleState.STOPPED);
		assertThat(this.lifecycle.isWriter()).isFalse();
		assertThat(this.lifecycle.history()).extracting(LifecycleTransition::to)
			.containsExactly(LifecycleState.WRITING, LifecycleState.STOPPED);
		assertThatIllegalStateException().isThrownBy(() -> this.lifecycle.moveTo(LifecycleState.WRITING, "again"));
	}

	private void moveToState(LifecycleState target) {
		switch (target) {
			case STARTING -> {
			}
			case FOLLOWING -> this.lifecycle.moveTo(LifecycleState.FOLLOWING, "held elsewhere");
			case WRITING -> this.lifecycle.moveTo(LifecycleState.WRITING, "caught up");
			case PROMOTING -> {
				moveToState(LifecycleState.FOLLOWING);
				this.lifecycle.moveTo(LifecycleState.PROMOTING, "lease taken");
			}
			case HANDING_OVER -> {
				moveToState(LifecycleState.WRITING);
				this.lifecycle.moveTo(LifecycleState.HANDING_OVER, "requested");
			}
			case FENCED -> {
				moveToState(LifecycleState.WRITING);
				this.lifecycle.fence("not renewed", null);
			}
			case STOPPED -> this.lifecycle.stop();
			default -> throw new IllegalArgumentException(target.toString());
		}
	}

}
