package io.github.s3lite.internal.config;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Warns at startup when {@code s3lite.restore-from} and {@code s3lite.backup-to} are not the same
 * replica: without {@code backup-to} nothing written after the restore is replicated, and with another
 * replica the next start restores a copy that lacks this instance's writes. Both can be intended (a
 * read-only copy, a migration to a new bucket), so it is a warning, not a failure.
 */
public final class ReplicaPairCheck {

	private static final Logger logger = LoggerFactory.getLogger(ReplicaPairCheck.class);

	private ReplicaPairCheck() {
	}

	/**
	 * Warn when the restore source and the backup target differ.
	 * @param config the validated configuration
	 */
	public static void check(S3liteConfig config) {
		if (config.restoreFrom() == null) {
			return;
		}
		if (config.backupTo() == null) {
			logger.warn("s3lite.restore-from is set ({}) but s3lite.backup-to is not: changes to {} will not be "
					+ "replicated and are lost with the local disk. Set s3lite.backup-to to the same replica to keep "
					+ "them.", config.restoreFrom(), config.databasePath());
		}
		else if (!config.backupTo().equals(config.restoreFrom())) {
			logger.warn("s3lite.restore-from ({}) and s3lite.backup-to ({}) differ: the next start restores from a "
					+ "replica that does not receive this instance's changes. Use the same replica for both unless "
					+ "you are moving the database on purpose.", config.restoreFrom(), config.backupTo());
		}
	}

}
