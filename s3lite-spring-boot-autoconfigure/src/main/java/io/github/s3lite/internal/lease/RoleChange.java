package io.github.s3lite.internal.lease;

import io.github.s3lite.internal.restore.ContinuationRule;

import java.nio.file.Path;
import java.util.Optional;

/**
 * What the rest of s3lite does when this instance changes role; called by {@link LeaseRole} on its own
 * thread, always with writes fenced. Implementations must be bounded in time.
 */
public interface RoleChange {

	/**
	 * Become the writer, with the lease held and writes still fenced: stop using the local file, catch
	 * up with everything the previous writer replicated, start replication. Leaves the pool suspended.
	 * @param localIsTail whether the local file is the replica's tail (this instance was its last writer),
	 * which is then kept: it may hold commits not replicated yet
	 * @param continuation whether a database caught up with the replica continues its generation
	 * @return whether this instance may now accept writes; on {@code false} it must not be replicating
	 */
	boolean startWriting(boolean localIsTail, ContinuationRule continuation);

	/**
	 * Stop being the writer, with the lease still held and writes fenced: wait for in-flight work, flush
	 * everything committed to the replica and stop replication. Leaves the pool suspended.
	 * @return whether the replica holds every commit (the lease may be released); on {@code false}
	 * replication keeps running
	 */
	boolean stopWriting();

	/**
	 * Stop replication at once without a final upload ({@code Replication#halt()}): a promotion failed,
	 * or this instance could not resume writing after a fence. Idempotent; leaves the pool suspended.
	 */
	void abortWriting();

	/**
	 * Return where the replica ends now ({@code ReplicationEngine#replicaEnd}), read after replication
	 * stopped, for the seal of the writer's mark.
	 * @return the end, or empty when the engine cannot tell
	 */
	Optional<String> replicaEnd();

	/**
	 * Return the local database.
	 * @return its path
	 */
	Path database();

	/**
	 * Let connections be handed out again, after {@link #startWriting()} or {@link #stopWriting()}.
	 */
	void resume();

}
