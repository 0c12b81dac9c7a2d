package io.github.s3lite.internal.lease;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The requests of a {@link LeaseKeeper}, one at a time on a daemon thread of their own
 * ({@code s3lite-lease-io}) so that a hung request never delays fencing; each is bounded by the caller
 * and cancelled when its bound passes. They use the lease this instance wrote last, read when the
 * request runs: a request stuck on the thread (a blackholed socket ignores interrupts) delays the ones
 * queued behind it, which must not renew with the ETag of a lease a request before them already renewed
 * (a refusal would read as a lost lease).
 */
final class LeaseRequests {

	private static final Logger logger = LoggerFactory.getLogger(LeaseRequests.class);

	private final ReplicaLease lease;

	private final ExecutorService io = Executors.newSingleThreadExecutor((task) -> {
		Thread thread = new Thread(task, "s3lite-lease-io");
		thread.setDaemon(true);
		return thread;
	});

	private volatile HeldLease held;

	LeaseRequests(ReplicaLease lease, HeldLease held) {
		this.lease = lease;
		this.held = held;
	}

	HeldLease held() {
		return this.held;
	}

	/**
	 * Renew the lease (or re-take it with the same ETag after a fence).
	 * @param waitMillis how long to wait for the answer
	 * @return the lease renewed, or empty when somebody else wrote it since
	 * @throws TimeoutException when no answer came in time (the request is cancelled)
	 * @throws ExecutionException when the request failed (the cause says why)
	 * @throws InterruptedException when interrupted while waiting
	 */
	Optional<HeldLease> renew(long waitMillis) throws TimeoutException, ExecutionException, InterruptedException {
		Future<Optional<HeldLease>> renewal = this.io.submit(() -> {
			Optional<HeldLease> renewed = this.lease.renew(this.held);
			renewed.ifPresent((lease) -> this.held = lease);
			return renewed;
		});
		try {
			return renewal.get(waitMillis, TimeUnit.MILLISECONDS);
		}
		catch (TimeoutException | ExecutionException ex) {
			renewal.cancel(true);
			throw ex;
		}
	}

	/**
	 * Read who holds the lease now.
	 * @param wait how long to wait
	 * @return the holder, or {@code null} when it could not be read in time
	 */
	LeaseRecord readHolder(Duration wait) {
		Future<Optional<LeaseRecord>> read = this.io.submit(this.lease::readHolder);
		try {
			return read.get(wait.toMillis(), TimeUnit.MILLISECONDS).orElse(null);
		}
		catch (ExecutionException | TimeoutException ex) {
			read.cancel(true);
			return null;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			return null;
		}
	}

	/**
	 * Release the lease (a conditional write of an expired lease with the ETag this instance wrote last),
	 * after a renewal in flight, and say how it went. Never throws.
	 * @param bound how long to wait
	 */
	void release(Duration bound) {
		Future<HeldLease> release = this.io.submit(() -> this.lease.release(this.held) ? this.held : null);
		try {
			HeldLease released = release.get(bound.toMillis(), TimeUnit.MILLISECONDS);
			if (released != null) {
				logger.info("Lease released: {} (generation {})", this.lease.location(), released.record().generation());
			}
			else {
				logger.info("Lease not released: {} had already changed hands", this.lease.location());
			}
		}
		catch (TimeoutException | ExecutionException ex) {
			release.cancel(true);
			logger.warn("Lease release of {} did not succeed within {}; a successor waits for its expiry at {}: {}",
					this.lease.location(), bound, this.held.record().expiresAt(), ex.toString());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	void shutdown() {
		this.io.shutdownNow();
	}

}
