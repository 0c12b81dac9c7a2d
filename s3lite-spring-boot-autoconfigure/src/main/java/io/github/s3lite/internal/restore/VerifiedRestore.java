package io.github.s3lite.internal.restore;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.s3lite.internal.config.ReplicaUrl;
import io.github.s3lite.internal.engine.ReplicaAccessException;
import io.github.s3lite.internal.engine.ReplicaFailure;
import io.github.s3lite.internal.engine.ReplicationEngine;
import io.github.s3lite.internal.storage.WritePermit;

/**
 * Restores a replica into a staging file and judges, by a {@link ContinuationRule}, whether replication
 * may continue the restored generation: a restore that does not reach where the previous writer recorded
 * it stopped, or fails on a replica that looks broken meanwhile, is made again, a few times (a listing
 * may lag behind the last uploads and show gaps: after 0.5, 1, 2, 4 and 8 s, about 15 s in all), before
 * it is accepted as the start of a new generation (or its failure thrown). Shared by the startup
 * restore and the catch-up of a promoted follower.
 */
final class VerifiedRestore {

	/** Restores made at most: the pauses between them double from 0.5 s. */
	static final int ATTEMPTS = 6;

	private static final Logger logger = LoggerFactory.getLogger(VerifiedRestore.class);

	private final ReplicationEngine engine;

	private final ReplicaUrl replica;

	private final Duration timeout;

	private final ContinuationRule rule;

	VerifiedRestore(ReplicationEngine engine, ReplicaUrl replica, Duration timeout, ContinuationRule rule) {
		this.engine = engine;
		this.replica = replica;
		this.timeout = timeout;
		this.rule = rule;
	}

	/**
	 * Restore into a staging file that does not exist; when the rule allows, have the engine record that
	 * the file continues its generation ({@link EngineLocalState#adopt}).
	 * @param staging the file to restore into
	 * @param leftovers what a restore into {@code staging} may leave behind, deleted before another attempt
	 * @return whether the replica had a database to restore
	 * @throws IOException on a file error
	 */
	boolean restoreInto(Path staging, List<Path> leftovers) throws IOException {
		for (int attempt = 1;; attempt++) {
			boolean restored;
			try {
				restored = this.engine.restore(this.replica, staging, this.timeout);
			}
			catch (ReplicaAccessException | RestoreException ex) {
				if (attempt < ATTEMPTS && unrestorable(ex) && this.rule.awaitsEnd()) {
					logger.info("The restore of {} failed ({}) while the previous writer recorded where it stopped: a "
							+ "listing that lags its last uploads shows gaps; restoring again (attempt {} of {})",
							this.replica, ex.getMessage(), attempt + 1, ATTEMPTS);
					again(staging, leftovers, attempt);
					continue;
				}
				throw ex;
			}
			if (!restored || !Files.exists(staging)) {
				return false;
			}
			ContinuationRule.Verdict verdict = this.rule.decide(this.engine.restoredEnd(staging),
					this.engine::endReaches);
			if (verdict == ContinuationRule.Verdict.RESTORE_AGAIN && attempt < ATTEMPTS) {
				logger.info("The restore of {} did not reach where the previous writer recorded it stopped; restoring "
						+ "again (attempt {} of {})", this.replica, attempt + 1, ATTEMPTS);
				again(staging, leftovers, attempt);
				continue;
			}
			if (verdict == ContinuationRule.Verdict.RESTORE_AGAIN) {
				logger.error("The restore of {} never reached where the previous writer recorded it stopped ({} attempts): "
						+ "its last uploads are not in the restored database; starting a new generation from what was "
						+ "restored", this.replica, ATTEMPTS);
			}
			boolean continues = verdict == ContinuationRule.Verdict.CONTINUE;
			if (!continues) {
				supersede(this.engine, this.replica, this.rule.permit());
			}
			EngineLocalState.adopt(this.engine, staging, continues);
			return true;
		}
	}

	/**
	 * Mark the generations of a replica superseded before a new one starts: what a stale writer may still
	 * upload into them must never be restored instead of the new generation. A failure is logged.
	 * @param engine the engine
	 * @param replica the replica
	 */
	static void supersede(ReplicationEngine engine, ReplicaUrl replica, WritePermit permit) {
		try {
			engine.supersede(replica, permit);
		}
		catch (RuntimeException ex) {
			logger.warn("Could not mark the generations of {} superseded ({}); an object a stale writer uploads "
					+ "into them late could make one of them what a restore returns", replica, ex.getMessage());
		}
	}

	private void again(Path staging, List<Path> leftovers, int attempt) throws IOException {
		this.engine.restoredPosition(staging);
		for (Path leftover : leftovers) {
			if (!Files.isDirectory(leftover)) {
				Files.deleteIfExists(leftover);
			}
		}
		pause(attempt);
	}

	private static boolean unrestorable(RuntimeException ex) {
		ReplicaFailure failure = (ex instanceof ReplicaAccessException access) ? access.getFailure()
				: ((RestoreException) ex).getFailure();
		return failure == ReplicaFailure.UNRESTORABLE;
	}

	private static void pause(int attempt) {
		try {
			Thread.sleep(250L << attempt);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new RestoreException("Interrupted while restoring", ReplicaFailure.OTHER);
		}
	}

}
