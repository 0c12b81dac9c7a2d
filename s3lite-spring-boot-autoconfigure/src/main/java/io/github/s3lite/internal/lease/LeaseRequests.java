package io.github.s3lite.internal.lease;

import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

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

	private static final Duration MAX_RELEASE_WAIT = Duration.ofSeconds(10);

	private final ReplicaLease lease;

	private final ExecutorService io = Executors.newSingleThreadExecutor((task) -> {
		Thread thread = new Thread(task, "s3lite-lease-io");
		thread.setDaemon(true);
		return thread;
	});

	private final AtomicReference<HandoverRequest> handoverRequest = new AtomicReference<>();

	private final Runnable onHandoverRequest;

	private volatile HeldLease held;

	LeaseRequests(ReplicaLease lease, HeldLease held, Runnable onHandoverRequest) {
		this.lease = lease;
		this.held = held;
		this.onHandoverRequest = onHandoverRequest;
	}

	HeldLease held() {
		return this.held;
	}

	/**
	 * Take the hand-over request a renewal consumed, if any; its renewal ran the action given at
	 * construction.
	 * @return the request, once
	 */
	Optional<HandoverRequest> takeHandoverRequest() {
		return Optional.ofNullable(this.handoverRequest.getAndSet(null));
	}

	/**
	 * Renew the lease (or re-take it with the same ETag after a fence), keeping a follower's hand-over
	 * request found on it for {@link #takeHandoverRequest()}.
	 * @param waitMillis how long to wait for the answer
	 * @return the lease renewed, or empty when somebody else wrote it since
	 * @throws TimeoutException when no answer came in time (the request is cancelled)
	 * @throws ExecutionException when the request failed (the cause says why)
	 * @throws InterruptedException when interrupted while waiting
	 */
	Optional<HeldLease> renew(long waitMillis) throws TimeoutException, ExecutionException, InterruptedException {
		Future<Optional<HeldLease>> renewal = this.io.submit(() -> {
			AtomicBoolean requested = new AtomicBoolean();
			Optional<HeldLease> renewed = this.lease.renew(this.held, (request) -> {
				this.handoverRequest.set(request);
				requested.set(true);
			});
			renewed.ifPresent((lease) -> this.held = lease);
			if (requested.get()) {
				this.onHandoverRequest.run();
			}
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
	 * after a renewal in flight, and say how it went; bounded by {@code min(ttl/3, 10s)}. Never throws.
	 */
	void release() {
		Duration interval = this.lease.timing().renewInterval();
		Duration bound = (interval.compareTo(MAX_RELEASE_WAIT) < 0) ? interval : MAX_RELEASE_WAIT;
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
