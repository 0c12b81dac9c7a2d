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
 * mark means another instance wrote since, and the local file is stale.
 */
public final class WriterMark {

	/** The key of the mark, relative to the replica. */
	public static final String KEY = "last-writer.json";

	private final ReplicaStore store;

	WriterMark(ReplicaStore store) {
		this.store = store;
	}

	/**
	 * Return whether the local database may be resumed: no instance has written the replica since this
	 * one (or no instance ever left a mark, as before the lease was used).
	 * @param database the local database
	 * @return whether it is the replica's tail
	 * @throws IOException on a storage error
	 */
	public boolean isTail(Path database) throws IOException {
		Optional<VersionedObject> remote = this.store.getVersioned(KEY);
		if (remote.isEmpty()) {
			return true;
		}
		Path local = localMark(database);
		return Files.exists(local)
				&& new String(remote.get().content(), StandardCharsets.UTF_8).equals(Files.readString(local));
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
