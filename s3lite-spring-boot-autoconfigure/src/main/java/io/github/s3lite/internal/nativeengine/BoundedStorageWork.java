package io.github.s3lite.internal.nativeengine;

import java.io.IOException;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.s3lite.internal.engine.ReplicaAccessException;
import io.github.s3lite.internal.engine.ReplicaFailure;
import io.github.s3lite.internal.storage.ReplicaStore;

/**
 * The native engine's storage work outside replication (a restore, a look at the replica), run on its
 * own thread within a timeout, its failures reported as {@link ReplicaAccessException}s.
 */
final class BoundedStorageWork {

	private static final Logger logger = LoggerFactory.getLogger(NativeEngine.class);

	/** How long the work is waited for once its store is closed. */
	private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

	private BoundedStorageWork() {
	}

	/**
	 * Run storage work on its own thread, bounded, and turn its failures into replica failures. On the way
	 * out, also after a timeout or an interrupt, the store is closed (which aborts requests in flight) and
	 * the work is waited for, so that it has removed its files before this returns.
	 */
	static <T> T run(String what, Duration timeout, String timeoutProperty, Work<T> work,
			ReplicaStore store) {
		ExecutorService executor = Executors.newSingleThreadExecutor((runnable) -> {
			Thread thread = new Thread(runnable, "s3lite-native-" + what);
			thread.setDaemon(true);
			return thread;
		});
		try {
			Future<T> result = executor.submit(work::run);
			return result.get(timeout.toMillis(), TimeUnit.MILLISECONDS);
		}
		catch (TimeoutException ex) {
			throw new ReplicaAccessException("The native " + what + " did not finish within " + timeout.toSeconds()
					+ "s" + ((timeoutProperty != null) ? " (" + timeoutProperty + ")." : "."), ReplicaFailure.UNREACHABLE,
					ex);
		}
		catch (ExecutionException ex) {
			throw failure("The native " + what + " failed: ", ex.getCause());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new ReplicaAccessException("Interrupted during the native " + what, ReplicaFailure.OTHER, ex);
		}
		finally {
			executor.shutdownNow();
			closeQuietly(store);
			awaitQuietly(executor, what);
		}
	}

	private static void closeQuietly(ReplicaStore store) {
		try {
			store.close();
		}
		catch (IOException | RuntimeException ex) {
			logger.debug("Could not close the store of {}", store.location(), ex);
		}
	}

	private static void awaitQuietly(ExecutorService executor, String what) {
		boolean interrupted = Thread.interrupted();
		try {
			if (!executor.awaitTermination(STOP_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS)) {
				logger.warn("The native {} did not stop within {} s", what, STOP_TIMEOUT.toSeconds());
			}
		}
		catch (InterruptedException ex) {
			interrupted = true;
		}
		finally {
			if (interrupted) {
				Thread.currentThread().interrupt();
			}
		}
	}

	private static ReplicaAccessException failure(String prefix, Throwable cause) {
		if (cause instanceof ReplicaAccessException access) {
			return access;
		}
		return new ReplicaAccessException(prefix + cause.getMessage(), StorageFailureClassifier.classify(cause), cause);
	}

	/** Storage work. */
	@FunctionalInterface
	interface Work<T> {

		T run() throws IOException;

	}

}
