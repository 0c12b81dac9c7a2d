package io.github.s3lite.internal.nativeengine;

import java.io.IOException;

/**
 * Thrown when the WAL restarted or vanished before all of its committed frames were shipped, e.g.
 * because something other than the replica writer checkpointed: the generation cannot continue and
 * a new one (with a snapshot) must start.
 */
public class WalContinuityException extends IOException {

	private static final long serialVersionUID = 1L;

	/**
	 * Create a new instance.
	 * @param message what was lost
	 */
	public WalContinuityException(String message) {
		super(message);
	}

}
