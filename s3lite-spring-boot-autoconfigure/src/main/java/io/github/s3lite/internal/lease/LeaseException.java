package io.github.s3lite.internal.lease;

/**
 * Thrown when the lease cannot be taken at startup: another instance holds it, the provider refuses
 * conditional writes, or {@code lock.json} is unreadable. The message names the replica, the holder or
 * the provider's answer, and the fix.
 */
public class LeaseException extends IllegalStateException {

	private static final long serialVersionUID = 1L;

	private final transient LeaseRecord holder;

	/**
	 * Create a new instance.
	 * @param message the message
	 * @param holder the current holder, or {@code null}
	 * @param cause the cause, or {@code null}
	 */
	public LeaseException(String message, LeaseRecord holder, Throwable cause) {
		super(message, cause);
		this.holder = holder;
	}

	/**
	 * Return the lease held by another instance, when that is the reason.
	 * @return the holder, or {@code null}
	 */
	public LeaseRecord getHolder() {
		return this.holder;
	}

}
