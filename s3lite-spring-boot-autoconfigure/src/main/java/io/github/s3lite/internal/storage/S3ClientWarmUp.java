package io.github.s3lite.internal.storage;

import java.util.concurrent.atomic.AtomicBoolean;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.s3lite.internal.config.S3Connection;
import software.amazon.awssdk.core.client.config.ClientOverrideConfiguration;
import software.amazon.awssdk.core.interceptor.Context;
import software.amazon.awssdk.core.interceptor.ExecutionAttributes;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.retries.DefaultRetryStrategy;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * Loads and links, once per JVM, what the AWS SDK needs for a first S3 request (about a second of class
 * loading on a cold JVM), without sending anything: a client built as {@link S3ClientFactory} builds
 * them makes the requests a start-up makes (list, ranged get, conditional put), each stopped by an
 * interceptor after it was marshalled and signed, before any connection is opened.
 */
public final class S3ClientWarmUp {

	private static final Logger logger = LoggerFactory.getLogger(S3ClientWarmUp.class);

	private static final AtomicBoolean done = new AtomicBoolean();

	/** Nothing is ever sent there; a connection could only ever reach this loopback port. */
	private static final S3Connection NOWHERE = S3Connection.of("http://127.0.0.1:9", "us-east-1", true, "warm-up",
			"warm-up");

	private S3ClientWarmUp() {
	}

	/**
	 * Warm the SDK up, unless this JVM already did.
	 */
	public static void run() {
		if (!done.getAndSet(true)) {
			run(NOWHERE);
		}
	}

	static void run(S3Connection nowhere) {
		long started = System.nanoTime();
		ClientOverrideConfiguration stopped = ClientOverrideConfiguration.builder()
			.retryStrategy(DefaultRetryStrategy.doNotRetry())
			.addExecutionInterceptor(new S3ClientFactory.WithoutExpectContinue())
			.addExecutionInterceptor(new StopBeforeTransmission())
			.build();
		try (S3Client client = S3ClientFactory.builder(nowhere).overrideConfiguration(stopped).build()) {
			attempt(() -> client.listObjectsV2((request) -> request.bucket("warm-up").prefix("warm-up/")));
			attempt(() -> client.getObjectAsBytes((request) -> request.bucket("warm-up").key("warm-up").range("bytes=0-0")));
			attempt(() -> client.getObject((request) -> request.bucket("warm-up").key("warm-up")).close());
			attempt(() -> client.putObject((request) -> request.bucket("warm-up").key("warm-up").ifNoneMatch("*"),
					RequestBody.fromBytes(new byte[1])));
		}
		catch (RuntimeException | LinkageError ex) {
			logger.debug("Warming the AWS SDK up failed; the first request will load it", ex);
			return;
		}
		logger.debug("Warmed the AWS SDK up in {} ms", (System.nanoTime() - started) / 1_000_000);
	}

	private static void attempt(Request request) {
		try {
			request.send();
		}
		catch (Exception ex) {
			// stopped before transmission, as intended
		}
	}

	@FunctionalInterface
	private interface Request {

		void send() throws Exception;

	}

	private static final class StopBeforeTransmission implements ExecutionInterceptor {

		@Override
		public void beforeTransmission(Context.BeforeTransmission context, ExecutionAttributes attributes) {
			throw new IllegalStateException("s3lite warm-up: never sent");
		}

	}

}
