package io.github.s3lite.internal.storage;

/**
 * Whether this instance may write to its replica now: with the single-writer lease, only while it holds
 * the lease and its fencing deadline has not passed. Asked before every replica write, so it must answer
 * without I/O.
 */
@FunctionalInterface
public interface WritePermit {

	/** A permit that is always granted: no lease. */
	WritePermit ALWAYS = () -> true;

	/**
	 * Return whether a replica write may start now.
	 * @return {@code true} while this instance may write to the replica
	 */
	boolean granted();

}
