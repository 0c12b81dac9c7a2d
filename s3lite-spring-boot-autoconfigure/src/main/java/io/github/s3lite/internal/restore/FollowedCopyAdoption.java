package io.github.s3lite.internal.restore;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.s3lite.internal.config.ReplicaUrl;
import io.github.s3lite.internal.engine.ReplicationEngine;

/**
 * Prepares a follower's {@link FollowedCopy} to be installed as the database in place of a restore, as a
 * restore ending where the copy stands would leave it: judged by the same {@link ContinuationRule}, the
 * engine's record of where it stands beside it when the rule lets it continue the generation; the
 * generations superseded when it starts a new one, which only a copy that ends where a restore now would
 * may start. Anything that does not line up leaves the copy unused, saying why, and a restore is made.
 */
final class FollowedCopyAdoption {

	private static final Logger logger = LoggerFactory.getLogger(FollowedCopyAdoption.class);

	private final ReplicationEngine engine;

	private final ReplicaUrl replica;

	private final ContinuationRule rule;

	FollowedCopyAdoption(ReplicationEngine engine, ReplicaUrl replica, ContinuationRule rule) {
		this.engine = engine;
		this.replica = replica;
		this.rule = rule;
	}

	/**
	 * Take the copy and prepare it: synced, with the engine's state beside it.
	 * @param followed the follower's copy
	 * @return the copy to move over the database, empty when a restore must be made instead
	 */
	Optional<FollowedCopy.Copy> prepare(FollowedCopy followed) {
		Optional<FollowedCopy.Copy> taken;
		try {
			taken = followed.take();
		}
		catch (IOException | RuntimeException ex) {
			return unused("could not be brought up to date (" + ex.getMessage() + ")");
		}
		if (taken.isEmpty()) {
			return unused("has no position it can advance from (none yet, a newer generation, or pruned WAL)");
		}
		FollowedCopy.Copy copy = taken.get();
		try {
			Path wal = ReplicaRestorer.suffixed(copy.file(), "-wal");
			if (Files.exists(wal) && Files.size(wal) > 0) {
				return unused("has a WAL beside it");
			}
			ContinuationRule.Verdict verdict = this.rule.decide(Optional.of(copy.end()), this.engine::endReaches);
			if (verdict == ContinuationRule.Verdict.RESTORE_AGAIN) {
				return unused("ends at " + copy.end() + ", not where the previous writer sealed the replica");
			}
			if (verdict == ContinuationRule.Verdict.NEW_GENERATION) {
				Optional<String> restoreEnd = this.engine.replicaEnd(this.replica);
				if (!restoreEnd.equals(Optional.of(copy.end()))) {
					return unused("ends at " + copy.end() + " and a restore would end at " + restoreEnd.orElse("nothing"));
				}
				VerifiedRestore.supersede(this.engine, this.replica, this.rule.permit());
			}
			ReplicaCatchUp.deleteAll(this.engine.localState(copy.file()));
			if (verdict == ContinuationRule.Verdict.CONTINUE) {
				this.engine.adoptRestored(copy.file(), copy.position());
			}
			else {
				logger.info("Replicating {} starts a new generation: it may not continue generation {}", copy.file(),
						copy.position().generation());
			}
			// a follow file is written without syncs; a restored database is synced before it is installed
			try (FileChannel channel = FileChannel.open(copy.file(), StandardOpenOption.WRITE)) {
				channel.force(true);
			}
			return Optional.of(copy);
		}
		catch (IOException | RuntimeException ex) {
			deleteEngineState(copy.file());
			return unused("could not be prepared (" + ex.getMessage() + ")");
		}
	}

	private void deleteEngineState(Path file) {
		try {
			ReplicaCatchUp.deleteAll(this.engine.localState(file));
		}
		catch (IOException ex) {
			logger.debug("Could not delete the engine's state beside {}", file, ex);
		}
	}

	private Optional<FollowedCopy.Copy> unused(String why) {
		logger.info("Catching up with {} by a restore: the follow file {}", this.replica, why);
		return Optional.empty();
	}

}
