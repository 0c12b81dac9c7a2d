package io.github.s3lite.internal.storage;

import java.io.IOException;

/**
 * Thrown when the object store refuses conditional requests ({@code If-None-Match}/{@code If-Match})
 * altogether, e.g. with HTTP 501 Not Implemented.
 */
public class ConditionalWritesNotSupportedException extends IOException {

	private static final long serialVersionUID = 1L;

	/**
	 * Create a new instance.
	 * @param message the message
	 * @param cause the cause
	 */
	public ConditionalWritesNotSupportedException(String message, Throwable cause) {
		super(message, cause);
	}

}
