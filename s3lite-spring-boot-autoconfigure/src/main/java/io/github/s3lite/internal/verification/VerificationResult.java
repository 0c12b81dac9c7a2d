package io.github.s3lite.internal.verification;

import java.time.Duration;
import java.time.Instant;

/**
 * Outcome of one replica verification.
 *
 * @param outcome the outcome
 * @param at when the verification finished
 * @param elapsed how long it took
 * @param detail what was found, or why it failed
 */
public record VerificationResult(Outcome outcome, Instant at, Duration elapsed, String detail) {

	/**
	 * Verification outcomes.
	 */
	public enum Outcome {

		/** The sentinel row was found in a fresh restore of the replica. */
		VERIFIED,

		/** The sentinel row did not reach the replica within the timeout. */
		LAGGING,

		/** The replica could not be restored, or the restore lacked the row or failed its integrity check. */
		FAILED

	}

}
