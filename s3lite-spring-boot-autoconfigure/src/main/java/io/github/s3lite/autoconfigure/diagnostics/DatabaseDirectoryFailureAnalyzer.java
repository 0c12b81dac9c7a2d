package io.github.s3lite.autoconfigure.diagnostics;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

import io.github.s3lite.internal.restore.DatabaseDirectoryException;

/**
 * Reports a directory of {@code s3lite.path} that cannot be created or written to.
 */
class DatabaseDirectoryFailureAnalyzer extends AbstractFailureAnalyzer<DatabaseDirectoryException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, DatabaseDirectoryException cause) {
		String description = String.format(
				"The directory of s3lite.path (%s) cannot be used for the database.%n%n    Reason: %s",
				cause.getDirectory(), cause.getMessage());
		return new FailureAnalysis(description, "Point s3lite.path at a file in a writable directory on a local disk "
				+ "(SQLite and litestream create the WAL, the shared-memory file and a .<file>-litestream directory "
				+ "next to the database), or make " + cause.getDirectory() + " writable for this user.", cause);
	}

}
