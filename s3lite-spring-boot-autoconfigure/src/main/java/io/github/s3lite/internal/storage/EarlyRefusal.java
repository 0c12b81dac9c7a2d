package io.github.s3lite.internal.storage;

import java.io.IOException;

/**
 * Recognises a conditional PUT that the server refused before reading its body. S3Proxy (Jetty)
 * evaluates {@code If-None-Match} and {@code If-Match} on the request's headers, answers 412 and closes
 * the connection; when that happens before the client has written the body, the JDK's HTTP client (the
 * SDK's url-connection client) fails the body's write with "Error writing request body to server" and
 * never reads the answer, on every retry. A server reads the body of a PUT it applies, so such a failure
 * means the write was refused; without this, a start whose lease probe (an {@code If-Match} that must
 * be refused) met it became the follower of its own lease for one ttl (seen in about 1 start in 10).
 */
final class EarlyRefusal {

	private static final String BODY_NOT_WRITTEN = "Error writing request body to server";

	private EarlyRefusal() {
	}

	/**
	 * Return whether a failure is a PUT whose body could not be written because the server had answered.
	 * @param failure the failure of the request
	 * @return {@code true} when the request failed writing its body
	 */
	static boolean causedBy(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = (cause.getCause() != cause) ? cause.getCause() : null) {
			if (cause instanceof IOException && BODY_NOT_WRITTEN.equals(cause.getMessage())) {
				return true;
			}
		}
		return false;
	}

}
