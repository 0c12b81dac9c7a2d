package io.github.s3lite.internal.restore;

import java.util.Optional;

import io.github.s3lite.internal.storage.WritePermit;

/**
 * Decides whether replication may continue the generation a database was just restored from, or must
 * start a new one. Without the single-writer lease every restored database continues ({@link #ALWAYS});
 * with it, only one that ends exactly where the previous writer recorded it stopped, so that a successor
 * never continues over a tail it did not restore nor over objects a stale writer uploaded late.
 */
@FunctionalInterface
public interface ContinuationRule {

	/** Every restored database continues its generation. */
	ContinuationRule ALWAYS = (restoredEnd, order) -> Verdict.CONTINUE;

	/**
	 * Judge a restored database by where it ends in the replica.
	 * @param restoredEnd the end the restore reached ({@code ReplicationEngine#restoredEnd}), empty when
	 * the engine cannot tell
	 * @param order how the engine orders ends ({@code ReplicationEngine#endReaches})
	 * @return the verdict
	 */
	Verdict decide(Optional<String> restoredEnd, EndOrder order);

	/**
	 * Return whether a previous writer recorded an end that a restore must reach: a restore that fails
	 * meanwhile (a listing that lags shows a gap) is then made again rather than failing at once.
	 * @return whether an end is awaited
	 */
	default boolean awaitsEnd() {
		return false;
	}

	/**
	 * Return whether the writer this rule decides for may write to the replica now: the generations it
	 * does not continue are marked superseded only while it may ({@code ReplicationEngine#supersede}).
	 * @return the permit, {@link WritePermit#ALWAYS} without the lease
	 */
	default WritePermit permit() {
		return WritePermit.ALWAYS;
	}

	/**
	 * How an engine orders the ends of its replica, format-neutral for the rule.
	 */
	@FunctionalInterface
	interface EndOrder {

		/**
		 * Return whether a restore that ended at {@code end} holds everything up to {@code other}.
		 * @param end where a restore ended
		 * @param other the end it must have reached
		 * @return whether it does
		 */
		boolean reaches(String end, String other);

	}

	/**
	 * What to do with a restored database.
	 */
	enum Verdict {

		/** Continue the restored generation. */
		CONTINUE,

		/** Start a new generation (a full snapshot) from the restored database. */
		NEW_GENERATION,

		/**
		 * The previous writer recorded another end: the listing may lag behind its last uploads; restore
		 * again (a new generation when it never ends there).
		 */
		RESTORE_AGAIN

	}

}
