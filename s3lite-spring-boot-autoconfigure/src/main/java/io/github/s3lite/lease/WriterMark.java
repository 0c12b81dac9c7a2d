package io.github.s3lite.lease;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.UUID;

import io.github.s3lite.storage.ReplicaStore;
import io.github.s3lite.storage.VersionedObject;

/**
 * Proves whether a local database is the tail of the replica: every instance that becomes the writer
 * writes a fresh random mark into {@code <replica>/last-writer.json} and beside its database
 * ({@code .<db>-s3lite-writer}) before its first write. At a later start, an existing local file
 * whose mark equals the replica's was written by the last writer and is resumed as it is; a different
 * mark means another instance wrote since, and the local file is stale; a follower marks its file as
 * such. A file without a local mark predates the lease and is resumed as it is.
 */
public final class WriterMark {

	/** The key of the mark, relative to the replica. */
	public static final String KEY = "last-writer.json";

	private final ReplicaStore store;

	WriterMark(ReplicaStore store) {
		this.store = store;
	}

	/**
	 * Return whether the local database is the replica's tail: its mark is the replica's, so no instance
	 * has become the writer since this one wrote it.
	 * @param database the local database
	 * @return whether it is the replica's tail
	 * @throws IOException on a storage error
	 */
	public boolean isTail(Path database) throws IOException {
		Optional<VersionedObject> remote = this.store.getVersioned(KEY);
		Path local = localMark(database);
		return remote.isPresent() && Files.exists(local)
				&& new String(remote.get().content(), StandardCharsets.UTF_8).equals(Files.readString(local));
	}

	/**
	 * Return whether any writer has marked the replica (none has before the lease was used).
	 * @return whether the replica has a mark
	 * @throws IOException on a storage error
	 */
	public boolean isMarked() throws IOException {
		return this.store.getVersioned(KEY).isPresent();
	}

	/**
	 * Return whether the local database carries a mark (it was written as a writer, or restored as a
	 * follower); a file without one predates the lease and is resumed as it is.
	 * @param database the local database
	 * @return whether a local mark exists
	 */
	public boolean isLocallyMarked(Path database) {
		return Files.exists(localMark(database));
	}

	/**
	 * Mark a follower's local database as not the replica's tail, unless it already carries a mark (it
	 * may be the tail: its writer restarted before its own lease expired).
	 * @param database the local database
	 * @throws IOException on a file error
	 */
	public void markFollowing(Path database) throws IOException {
		if (!isLocallyMarked(database)) {
			Files.writeString(localMark(database), "{\"follower\":\"" + UUID.randomUUID() + "\"}");
		}
	}

	/**
	 * Claim the replica for this instance, as its writer from now on.
	 * @param database the local database
	 * @throws IOException on a storage or file error
	 */
	public void claim(Path database) throws IOException {
		String mark = "{\"writer\":\"" + UUID.randomUUID() + "\"}";
		Files.writeString(localMark(database), mark);
		this.store.put(KEY, mark.getBytes(StandardCharsets.UTF_8));
	}

	private static Path localMark(Path database) {
		return database.resolveSibling("." + database.getFileName() + "-s3lite-writer");
	}

}
