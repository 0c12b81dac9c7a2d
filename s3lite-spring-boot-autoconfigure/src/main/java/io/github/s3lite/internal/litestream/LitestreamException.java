package io.github.s3lite.internal.litestream;

/**
 * Thrown when litestream cannot be found, started or run. The message says what to do.
 */
public class LitestreamException extends RuntimeException {

	public LitestreamException(String message) {
		super(message);
	}

	public LitestreamException(String message, Throwable cause) {
		super(message, cause);
	}

}
