package io.github.s3lite.internal.storage;

/**
 * The outcome of a conditional write or delete: applied (with the new ETag for writes) or refused
 * because the precondition failed (HTTP 412 on S3).
 *
 * @param applied whether the operation took effect
 * @param etag the ETag of the written object; {@code null} for deletes and refused operations
 */
public record ConditionalResult(boolean applied, String etag) {

	private static final ConditionalResult PRECONDITION_FAILED = new ConditionalResult(false, null);

	private static final ConditionalResult DELETED = new ConditionalResult(true, null);

	/**
	 * Return the result of an applied write.
	 * @param etag the new ETag
	 * @return the result
	 */
	public static ConditionalResult written(String etag) {
		return new ConditionalResult(true, etag);
	}

	/**
	 * Return the result of an applied delete.
	 * @return the result
	 */
	public static ConditionalResult deleted() {
		return DELETED;
	}

	/**
	 * Return the result of a refused operation.
	 * @return the result
	 */
	public static ConditionalResult preconditionFailed() {
		return PRECONDITION_FAILED;
	}

	/**
	 * Return whether the precondition failed.
	 * @return {@code true} when nothing was changed because the object did not match
	 */
	public boolean preconditionHasFailed() {
		return !this.applied;
	}

}
