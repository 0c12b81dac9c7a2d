package io.github.s3lite.autoconfigure.diagnostics;

import java.util.Locale;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

import io.github.s3lite.internal.datasource.DatabaseLock.DatabaseInUseException;
import io.github.s3lite.internal.datasource.SqliteDatabaseFile.DatabaseFileException;

/**
 * Reports a file at {@code s3lite.path} that SQLite cannot open, and points at filesystems without
 * shared-memory support when SQLite's error says so.
 */
class DatabaseFileFailureAnalyzer extends AbstractFailureAnalyzer<DatabaseFileException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, DatabaseFileException cause) {
		String description = String.format("s3lite could not open the database file.%n%n    Reason: %s",
				cause.getMessage());
		if (cause instanceof DatabaseInUseException) {
			return new FailureAnalysis(String.format("s3lite could not lock the database file.%n%n    Reason: %s",
					cause.getMessage()), "Stop the other instance, or point s3lite.path at another file: each "
							+ "instance needs a local database of its own.", cause);
		}
		String action = "Move the file away so that s3lite restores it from s3lite.restore-from (or starts a new "
				+ "database), or point s3lite.path at another file.";
		if (sharedMemoryProblem(cause)) {
			action = "Put s3lite.path on a local filesystem that supports shared memory (mmap) and POSIX locks: "
					+ "SQLite's WAL mode, which litestream needs, does not work on network filesystems such as NFS "
					+ "or SMB. " + action;
		}
		return new FailureAnalysis(description, action, cause);
	}

	private static boolean sharedMemoryProblem(Throwable cause) {
		for (Throwable t = cause; t != null; t = t.getCause()) {
			String message = String.valueOf(t.getMessage()).toLowerCase(Locale.ROOT);
			if (message.contains("shmmap") || message.contains("shmopen") || message.contains("shmsize")
					|| message.contains("locking protocol")) {
				return true;
			}
		}
		return false;
	}

}
