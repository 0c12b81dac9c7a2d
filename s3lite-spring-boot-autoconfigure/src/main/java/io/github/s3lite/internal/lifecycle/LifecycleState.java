package io.github.s3lite.internal.lifecycle;

import java.util.EnumSet;
import java.util.Set;

/**
 * Where a replicated database is in its life. Only {@link #WRITING} accepts writes; every other state
 * serves reads at most.
 *
 * <pre>
 *             STARTING ──────────────┬──────────► FAILED
 *   (lock, lease, restore, catch-up) │
 *        ┌───────────────┴───────────┐
 *        ▼                           ▼
 *    FOLLOWING ──► PROMOTING ──► WRITING ──► HANDING_OVER ──► FOLLOWING
 *        ▲             │  ▲         │              │
 *        │             │  └─ FENCED ◄┘◄─────────────┘
 *        └─────────────┴──────┘  (lease lost: FOLLOWING; lease re-taken: PROMOTING)
 *   any state ──► STOPPED (the context closed: flushed, sealed, released)
 * </pre>
 */
public enum LifecycleState {

	/** The database lock is held; the lease is being taken and the database restored or caught up. */
	STARTING("starting"),

	/** Start-up failed; the application context does not start. */
	FAILED("failed"),

	/** Another instance holds the lease (or it could not be read): reads are served, writes refused. */
	FOLLOWING("follower"),

	/** The lease is held; catching up with the replica and starting replication, writes still refused. */
	PROMOTING("promoting"),

	/** The lease is held and replication runs: writes are accepted. */
	WRITING("writer"),

	/** Writes refused while the replica is flushed, sealed and the lease released to a successor. */
	HANDING_OVER("handing-over"),

	/** The lease could not be renewed in time or was taken over: replication halted, writes refused. */
	FENCED("fenced"),

	/** The application context closed. */
	STOPPED("stopped");

	private final String label;

	LifecycleState(String label) {
		this.label = label;
	}

	/**
	 * Return the name of the state as health and the ops endpoint show it (the role of the instance).
	 * @return the label, e.g. {@code writer}
	 */
	public String label() {
		return this.label;
	}

	/**
	 * Return whether a database in this state may move to another.
	 * @param next the next state
	 * @return whether the transition is allowed
	 */
	public boolean canMoveTo(LifecycleState next) {
		return next == STOPPED ? this != STOPPED : successors().contains(next);
	}

	private Set<LifecycleState> successors() {
		return switch (this) {
			case STARTING -> EnumSet.of(FOLLOWING, WRITING, FAILED);
			case FOLLOWING -> EnumSet.of(PROMOTING);
			case PROMOTING -> EnumSet.of(WRITING, FOLLOWING, FENCED);
			case WRITING -> EnumSet.of(HANDING_OVER, FENCED);
			case HANDING_OVER -> EnumSet.of(FOLLOWING, WRITING, FENCED);
			case FENCED -> EnumSet.of(PROMOTING, FOLLOWING);
			case FAILED, STOPPED -> EnumSet.noneOf(LifecycleState.class);
		};
	}

}
