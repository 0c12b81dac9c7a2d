package io.github.s3lite.internal.engine;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

import io.github.s3lite.internal.config.ReplicaUrl;
import io.github.s3lite.replication.ReplicaPosition;
import io.github.s3lite.replication.Replication;
import io.github.s3lite.internal.replication.WalPosition;
import io.github.s3lite.internal.storage.WritePermit;

/**
 * The seam between s3lite's engine-neutral parts (configuration, restore orchestration, the
 * {@code DataSource}, migrations, health, metrics, the ops endpoint, verification) and the engine that
 * reads and writes the replica. Everything engine-neutral reaches an engine only through this
 * interface; an engine lives in its own package and may use the engine-neutral ones.
 *
 * <p>
 * Callers guarantee that no other s3lite instance uses the database (the database lock is held) before
 * calling any method with a database path.
 */
public interface ReplicationEngine {

	/**
	 * Return the engine's name, shown by health, metrics and the ops endpoint.
	 * @return the name, e.g. {@code litestream}
	 */
	String name();

	/**
	 * Release what an earlier, dead process of this engine left behind for the database (an orphaned
	 * child process, for example). Called once before the startup restore.
	 * @param database the absolute database path
	 */
	default void releaseLeftovers(Path database) {
	}

	/**
	 * Return the files and directories the engine keeps next to a database (for litestream, its meta
	 * directory with the shadow WAL). They belong to one database file: when that file is missing, they
	 * are removed before a restore. What {@link #restore} leaves next to its target moves with the target
	 * when it is moved into place, so the list must name the same kinds of path in the same order for
	 * every database path.
	 * @param database the absolute database path
	 * @return the paths, which need not exist
	 */
	default List<Path> localState(Path database) {
		return List.of();
	}

	/**
	 * Restore the newest state of a replica into a file that does not exist yet.
	 * @param replica the replica
	 * @param target the file to create; the caller moves it into place
	 * @param timeout the longest the restore may take
	 * @return {@code true} when the replica was restored, {@code false} when it is empty
	 * @throws ReplicaAccessException when the replica cannot be read; nothing is left at the target
	 */
	boolean restore(ReplicaUrl replica, Path target, Duration timeout);

	/**
	 * Return where the database the last {@link #restore} wrote into {@code target} stands in its replica:
	 * the generation, the last WAL index restored and the offset its segments end at (offset 0: none of
	 * that index, only the snapshot named by it). Once asked, it is forgotten.
	 * @param target the file restored into
	 * @return the position, or empty when unknown
	 */
	default Optional<WalPosition> restoredPosition(Path target) {
		return Optional.empty();
	}

	/**
	 * Return where the database the last {@link #restore} wrote into {@code target} ends in its replica,
	 * as {@link #replicaEnd} names it (for litestream v0.3's format: the key of the last WAL segment, or
	 * of the snapshot, applied). Format-neutral: callers only compare ends.
	 * @param target the file restored into
	 * @return the end, or empty when unknown
	 */
	default Optional<String> restoredEnd(Path target) {
		return Optional.empty();
	}

	/**
	 * Return whether a restore that ended at {@code end} ({@link #restoredEnd}) holds everything up to
	 * {@code other}, an end recorded earlier: the same generation, at or after it. Format-neutral for
	 * callers; an engine that cannot order its ends knows only equality.
	 * @param end where a restore ended
	 * @param other the end it must have reached
	 * @return whether {@code end} reaches {@code other}
	 */
	default boolean endReaches(String end, String other) {
		return end.equals(other);
	}

	/**
	 * Return where a replica ends now: the end a restore of it would reach ({@link #restoredEnd}). A
	 * writer records it when it stops, so that its successor can prove it continues from exactly there.
	 * @param replica the replica
	 * @return the end, or empty for an empty replica or an engine that cannot tell
	 * @throws ReplicaAccessException when the replica cannot be read
	 */
	default Optional<String> replicaEnd(ReplicaUrl replica) {
		return Optional.empty();
	}

	/**
	 * Return where a replica ends now, as {@link #replicaEnd}, only when that end is where the writer that
	 * stopped knows its replica ends ({@code expected}, read locally): a listing may lag the writer's last
	 * uploads, and an end read from it then must not be recorded.
	 * @param replica the replica
	 * @param expected where the stopped writer's replica ends, as its local state says
	 * @return the end, or empty when the replica does not show it (yet) or the engine cannot tell
	 * @throws ReplicaAccessException when the replica cannot be read
	 */
	default Optional<String> replicaEndAt(ReplicaUrl replica, ReplicaPosition expected) {
		return Optional.empty();
	}

	/**
	 * Mark every generation of a replica as superseded, before a writer that could not prove where they
	 * end starts a new generation: a restore by this engine then skips them while the new generation
	 * can be restored, so that objects a stale writer uploads into them late are never what is restored.
	 * The litestream CLI ignores the mark. An engine that cannot mark does nothing. Like every replica write,
	 * a mark starts only while the permit is granted: a writer fenced while it catches up marks nothing.
	 * @param replica the replica
	 * @param permit whether this instance may write to the replica
	 * @throws ReplicaAccessException when the replica cannot be written (or the permit was refused)
	 */
	default void supersede(ReplicaUrl replica, WritePermit permit) {
	}

	/**
	 * Prepare a restored database so that replicating it continues the restored generation at the next
	 * WAL index instead of uploading the whole database again; what the engine records belongs to its
	 * {@link #localState}. An engine that cannot continue does nothing. Called by the restore before the
	 * file is moved into place, with the position {@link #restoredPosition} reported.
	 * @param target the restored file
	 * @param position where it stands in the replica
	 */
	default void adoptRestored(Path target, WalPosition position) {
	}

	/**
	 * Check that the replica can be used, before replication starts, so that a missing bucket or
	 * rejected credentials fail startup instead of surfacing later as replication errors. A replica that
	 * is merely unreachable passes: the application starts on its local file and replication catches up.
	 * @param database the database the replica belongs to
	 * @param replica the replica
	 * @throws ReplicaAccessException for a replica that can never work as configured
	 */
	void checkReplica(Path database, ReplicaUrl replica);

	/**
	 * Start replicating a database; returns once replication runs.
	 * @param database the database, which exists in WAL mode
	 * @param replica the replica
	 * @return the running replication, stopped by {@link Replication#stop()}
	 */
	Replication start(Path database, ReplicaUrl replica);

	/**
	 * Start replicating a database whose replica this instance may write only while a permit is granted
	 * (the single-writer lease): an engine that sends the requests itself checks the permit before each
	 * replica write; every engine stops writing when {@link Replication#halt()} is called at the fence.
	 * @param database the database, which exists in WAL mode
	 * @param replica the replica
	 * @param permit whether replica writes may start
	 * @return the running replication
	 */
	default Replication start(Path database, ReplicaUrl replica, WritePermit permit) {
		return start(database, replica);
	}

	/**
	 * Return the statements every connection to a replicated database runs when it opens (for example
	 * {@code PRAGMA wal_autocheckpoint=0} where the engine owns checkpoints).
	 * @return the statements, in order
	 */
	List<String> connectionStatements();

}
