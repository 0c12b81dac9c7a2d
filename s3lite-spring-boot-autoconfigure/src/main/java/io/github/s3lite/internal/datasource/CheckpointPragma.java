package io.github.s3lite.internal.datasource;

import java.sql.SQLException;
import java.util.regex.Pattern;

/**
 * Refuses {@code PRAGMA wal_checkpoint} run through s3lite's {@code DataSource} while the database is
 * replicated: the replication engine owns checkpoints. A checkpoint that restarts or truncates the WAL
 * before the engine shipped its frames loses them (the replica then needs a new generation and a full
 * snapshot), and a PASSIVE one that copies every frame lets the next writer restart the WAL over
 * unshipped frames.
 */
final class CheckpointPragma {

	/** {@code PRAGMA [schema.]wal_checkpoint}, in any case and spacing, names optionally quoted. */
	private static final Pattern CHECKPOINT = Pattern.compile(
			"\\bPRAGMA\\s+(?:[\"`\\[]?\\w+[\"`\\]]?\\s*\\.\\s*)?[\"`\\[]?wal_checkpoint\\b", Pattern.CASE_INSENSITIVE);

	private CheckpointPragma() {
	}

	/**
	 * Return whether a statement's text runs a WAL checkpoint.
	 * @param sql the statement, may be {@code null}
	 * @return whether it holds {@code PRAGMA wal_checkpoint}
	 */
	static boolean matches(String sql) {
		return sql != null && CHECKPOINT.matcher(sql).find();
	}

	/**
	 * Return the exception a refused checkpoint fails with.
	 * @param sql the statement
	 * @return the exception
	 */
	static SQLException refusal(String sql) {
		return new SQLException("Refused '" + sql.strip() + "': while the database is replicated, s3lite's replication "
				+ "engine owns checkpoints (connections run with wal_autocheckpoint=0); a checkpoint run by the "
				+ "application can restart the WAL before its frames are shipped, losing them from the replica. "
				+ "Nothing was run; the engine checkpoints on its own", "42000");
	}

}
