package io.github.s3lite.internal.restore;

import java.time.Duration;

/**
 * What the startup restore did.
 *
 * @param outcome the outcome
 * @param replica the replica restored from, or {@code null}
 * @param bytes size of the restored database file
 * @param elapsed time the restore took
 */
public record RestoreResult(Outcome outcome, String replica, long bytes, Duration elapsed) {

	/**
	 * Return whether the database was restored from the replica.
	 * @return whether a restore happened
	 */
	public boolean restored() {
		return this.outcome == Outcome.RESTORED;
	}

	/**
	 * Restore outcomes.
	 */
	public enum Outcome {

		/** No {@code s3lite.restore-from}. */
		NOT_CONFIGURED,

		/** The local file existed and was left untouched. */
		LOCAL_FILE_EXISTS,

		/** The replica had nothing to restore (first deploy); a new database starts. */
		REPLICA_EMPTY,

		/** The database was restored from the replica. */
		RESTORED

	}

}
