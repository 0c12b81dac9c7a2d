package io.github.s3lite.internal.startup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.s3lite.internal.config.S3liteConfig;
import io.github.s3lite.internal.engine.ReplicationEngine;
import io.github.s3lite.internal.lease.LeaseException;
import io.github.s3lite.internal.lease.LeaseRole;
import io.github.s3lite.internal.lease.WriterMark;
import io.github.s3lite.internal.restore.ReplicaCatchUp;
import io.github.s3lite.internal.restore.RestoreResult;

/**
 * The startup restore of an instance that took the lease: as usual when the local file is missing; when
 * it exists and carries a mark ({@link WriterMark}), it is resumed only if it is the replica's tail (its
 * mark names the replica's last writer), and otherwise replaced with the replica's newest state and kept
 * aside, since another instance wrote the replica after this file's last write. Once the file opened,
 * {@link #mark} claims the replica for this instance; a resumed file without a mark (a copy from a
 * volume backup) fails startup when a writer has marked the replica, naming both and the way out,
 * instead of making its older history the replica's newest. A replica no writer ever marked (used
 * before the lease) resumes a local file as before.
 */
final class StartupCatchUp {

	private static final Logger logger = LoggerFactory.getLogger(StartupCatchUp.class);

	private final WriterMark mark;

	private final ReplicationEngine engine;

	private final S3liteConfig config;

	StartupCatchUp(WriterMark mark, ReplicationEngine engine, S3liteConfig config) {
		this.mark = mark;
		this.engine = engine;
		this.config = config;
	}

	/**
	 * Mark the local database once it opened: a writer claims the replica, a follower marks its file as
	 * not the tail (unless it carries a mark already).
	 */
	static void mark(LeaseRole role, Path database, RestoreResult.Outcome restore) {
		try {
			if (role.holdsLease()) {
				WriterMark mark = role.writerMark();
				if (restore == RestoreResult.Outcome.LOCAL_FILE_EXISTS && !mark.isLocallyMarked(database)
						&& mark.isMarked()) {
					throw new LeaseException("The local database " + database + " carries no writer mark ("
							+ WriterMark.KEY + " beside it), while a writer has written " + WriterMark.KEY
							+ " of the replica since the lease was first used: it is not provably the replica's tail "
							+ "(a copy from a volume backup?), and resuming it would make its history the replica's "
							+ "newest, dropping what was written since. Move " + database + " away to start from the "
							+ "replica's newest state, or, to make this file the replica's new history, delete "
							+ WriterMark.KEY + " from the replica.", null, null);
				}
				mark.claim(database);
			}
			else {
				role.writerMark().markFollowing(database);
				role.reportUnreadLease();
			}
		}
		catch (IOException ex) {
			throw new LeaseException("Cannot write " + WriterMark.KEY + " for " + database + ": " + ex.getMessage(),
					null, ex);
		}
	}

	RestoreResult restore() {
		try {
			RestoreResult result;
			Path database = this.config.databasePath();
			if (Files.exists(database) && this.mark.isLocallyMarked(database) && this.mark.isStale(database)) {
				logger.warn("Local database {} is stale: another instance wrote {} since; restoring the replica's "
						+ "newest state over it before the first write, and keeping the local file aside", database,
						this.config.backupTo());
				long started = System.nanoTime();
				long bytes = new ReplicaCatchUp(this.engine, this.config.databasePath(), this.config.backupTo(),
						this.config.restoreTimeout(), this.mark.continuationRule())
					.keepingReplacedFile()
					.replace();
				result = new RestoreResult(RestoreResult.Outcome.RESTORED, this.config.backupTo().toString(), bytes,
						Duration.ofNanos(System.nanoTime() - started));
			}
			else {
				result = DatabaseStartup.restore(this.config, this.engine, this.mark.continuationRule());
			}
			return result;
		}
		catch (IOException ex) {
			throw new LeaseException("Cannot read or write " + WriterMark.KEY + " on " + this.config.backupTo() + ": "
					+ ex.getMessage(), null, ex);
		}
	}

}
