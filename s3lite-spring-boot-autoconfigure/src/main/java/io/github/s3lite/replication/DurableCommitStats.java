package io.github.s3lite.replication;

/**
 * Counters of durable commits, never decreasing, read without I/O.
 *
 * @param commitsAwaited commits that waited for the replica (successfully or not)
 * @param uploads uploads run for waiting commits; fewer than {@code commitsAwaited} when commits shared
 * uploads (group commit)
 * @param failedUploads uploads for waiting commits that failed
 * @param notReplicated commits that returned {@link NotReplicatedException} after committing locally
 * @param refusedWrites writes refused before they committed because the replica was unreachable
 * @param failing whether commits are failing now (the last upload failed or timed out)
 * @param lastError the last upload failure, or {@code null}
 */
public record DurableCommitStats(long commitsAwaited, long uploads, long failedUploads, long notReplicated,
		long refusedWrites, boolean failing, String lastError) {

	/** The counters of replication that has made no durable commit. */
	public static final DurableCommitStats NONE = new DurableCommitStats(0, 0, 0, 0, 0, false, null);

}
