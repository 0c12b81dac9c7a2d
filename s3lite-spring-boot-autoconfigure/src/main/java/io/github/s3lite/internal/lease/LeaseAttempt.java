package io.github.s3lite.internal.lease;

/**
 * The outcome of {@link ReplicaLease#acquire()}: the lease, or who holds it.
 */
public sealed interface LeaseAttempt {

	/**
	 * The lease was taken.
	 *
	 * @param lease the held lease
	 */
	record Acquired(HeldLease lease) implements LeaseAttempt {

	}

	/**
	 * Another instance holds a live lease, or won the race for it.
	 *
	 * @param holder the lease as last read; its owner and expiry
	 */
	record HeldElsewhere(LeaseRecord holder) implements LeaseAttempt {

	}

}
