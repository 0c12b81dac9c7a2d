package io.github.s3lite.internal.replication;

import java.time.Duration;

/**
 * Replication that uploads what is left as it stops and can tell whether that final upload left the
 * replica holding every commit: a hand-over, whose writes are drained, flushes by stopping instead of
 * waiting for the next periodic upload ({@link SwitchableReplication#flushAndStopActive}).
 */
public interface FinalUpload {

	/**
	 * Return whether {@link #stopAfterFinalUpload} can prove its upload now (for litestream: the running
	 * process has synced the database, so its shutdown uploads).
	 * @return whether the final upload is provable
	 */
	boolean provesFinalUpload();

	/**
	 * Stop after the final upload, with no commit in flight.
	 * @param timeout the longest the stop may take
	 * @return {@code true} when the replica provably holds every commit made before the call; {@code false}
	 * when it stopped without that proof, and must start again to replicate the rest
	 */
	boolean stopAfterFinalUpload(Duration timeout);

}
