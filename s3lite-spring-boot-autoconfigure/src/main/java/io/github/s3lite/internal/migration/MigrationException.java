package io.github.s3lite.internal.migration;

/**
 * Thrown when a statement of {@code s3lite.migrations} fails; names its index and the statement.
 */
public class MigrationException extends RuntimeException {

	private final int index;

	public MigrationException(int index, String statement, Throwable cause) {
		super("s3lite.migrations[" + index + "] failed: " + cause.getMessage() + " -- statement: " + statement
				+ ". Fix the statement; migrations run on every start, so each must be idempotent "
				+ "(e.g. CREATE TABLE IF NOT EXISTS).", cause);
		this.index = index;
	}

	/**
	 * Return the 0-based index of the failed statement.
	 * @return the index
	 */
	public int getIndex() {
		return this.index;
	}

}
