package io.github.s3lite.internal.lease;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.Optional;
import java.util.UUID;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.s3lite.internal.restore.ContinuationRule;
import io.github.s3lite.internal.storage.ReplicaStore;
import io.github.s3lite.internal.storage.WritePermit;
import io.github.s3lite.internal.storage.VersionedObject;

/**
 * Proves whether a local database is the tail of the replica, and where the last writer stopped:
 * every instance that becomes the writer writes a fresh random mark into
 * {@code <replica>/last-writer.json} and beside its database ({@code .<db>-s3lite-writer}) before its
 * first write ({@code {"writer":"<id>","since":"<instant>"}}); when it stops writing (a release at shutdown, a hand-over)
 * with its replication stopped, it <em>seals</em> the mark with where the replica ends
 * ({@code "end":"<end>"}). A promotion's claim carries forward the end its predecessor proved
 * ({@code "reached":"<end>"}) until it caught up, so that a promotion that fails before it writes does
 * not erase it ({@link LastWriter}). At a later start, an existing local file whose mark names
 * the replica's writer was written by the last writer and is resumed as it is; another writer means the
 * local file is stale; a follower marks its file as such. A file without a local mark predates the lease
 * and is resumed as it is. A successor continues the restored generation only from a sealed end, and
 * starts a new one only from a restore that reached the proven end ({@link #continuationRule()}).
 */
public final class WriterMark {

	/** The key of the mark, relative to the replica. */
	public static final String KEY = "last-writer.json";

	private static final Logger logger = LoggerFactory.getLogger(WriterMark.class);

	private final ReplicaStore store;

	private final WritePermit permit;

	WriterMark(ReplicaStore store, WritePermit permit) {
		this.store = store;
		this.permit = permit;
	}

	/**
	 * Return whether the local database is the replica's tail: its mark names the replica's writer, so no
	 * instance has become the writer since this one wrote it.
	 * @param database the local database
	 * @return whether it is the replica's tail
	 * @throws IOException on a storage error
	 */
	public boolean isTail(Path database) throws IOException {
		return isTail(this.store.getVersioned(KEY), database);
	}

	/**
	 * Return whether a writer has marked the replica and the local database is not its tail (another
	 * instance wrote the replica since), with one read of the replica's mark.
	 * @param database the local database
	 * @return whether the local database is stale
	 * @throws IOException on a storage error
	 */
	public boolean isStale(Path database) throws IOException {
		Optional<VersionedObject> remote = this.store.getVersioned(KEY);
		return remote.isPresent() && !isTail(remote, database);
	}

	private static boolean isTail(Optional<VersionedObject> remoteMark, Path database) throws IOException {
		Optional<String> remote = remoteMark.flatMap((mark) -> LastWriter.parse(mark.content())).map(LastWriter::writer);
		Path local = localMark(database);
		return remote.isPresent() && Files.exists(local)
				&& remote.equals(LastWriter.parse(Files.readAllBytes(local)).map(LastWriter::writer));
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
	 * Claim the replica for this instance, as its writer from now on: at start-up, once the local
	 * database holds the replica's state.
	 * @param database the local database
	 * @throws IOException on a storage or file error
	 */
	public void claim(Path database) throws IOException {
		byte[] mark = LastWriter.claim(Optional.empty()).toJson();
		Files.write(localMark(database), mark);
		this.store.put(KEY, mark);
	}

	/**
	 * Return what the replica's mark says.
	 * @return the last writer, empty when no writer marked the replica
	 * @throws IOException on a storage error
	 */
	Optional<LastWriter> lastWriter() throws IOException {
		return this.store.getVersioned(KEY).flatMap((mark) -> LastWriter.parse(mark.content()));
	}

	/**
	 * Return whether the local database exists and is the replica's tail, {@code false} when that cannot
	 * be read.
	 * @param database the local database
	 * @return whether it may be resumed as the replica's newest state
	 */
	boolean isLocalTail(Path database) {
		try {
			return isTail(database) && Files.exists(database);
		}
		catch (IOException ex) {
			return false;
		}
	}

	/**
	 * Claim the replica for this instance as a promotion does, saying why when it cannot: the replica's
	 * mark at once, before the promotion's first replica write, carrying forward the end the last writer
	 * proved; the local database's mark at once only when it is the replica's tail already. Otherwise the
	 * local file is marked once it holds the replica's state ({@link #trySettle}): a promotion that fails
	 * before, or a crash, must not leave a stale file that a later promotion or start takes for the
	 * replica's tail.
	 * @param database the local database
	 * @param localIsTail whether the local database is the replica's tail
	 * @return the claim, empty when the replica's mark could not be read or written
	 */
	Optional<Claim> tryClaim(Path database, boolean localIsTail) {
		try {
			Optional<LastWriter> previous = lastWriter();
			LastWriter claim = LastWriter.claim(previous.flatMap(LastWriter::provenEnd));
			if (localIsTail) {
				Files.write(localMark(database), claim.toJson());
			}
			this.store.put(KEY, claim.toJson());
			return Optional.of(new Claim(claim, previous));
		}
		catch (IOException | RuntimeException ex) {
			logger.warn("Could not mark {} as written by this instance: {}", this.store.location(), ex.getMessage());
			return Optional.empty();
		}
	}

	/**
	 * Settle a promotion's claim now that the local database holds the replica's state: the local database
	 * is marked with it, and the replica's mark, while this writer may write to the replica, no longer
	 * carries the predecessor's end (this writer holds it; a successor's restore may end in a new
	 * generation this writer started). Should that replica write fail, the promotion still succeeds: a
	 * successor whose restore cannot reach the carried end then restores a few more times (about 15 s).
	 * @param database the local database
	 * @param claim the claim {@link #tryClaim} wrote
	 * @return whether the local database is marked
	 */
	boolean trySettle(Path database, LastWriter claim) {
		byte[] settled = claim.settled().toJson();
		try {
			Files.write(localMark(database), settled);
		}
		catch (IOException ex) {
			logger.warn("Could not mark {} as written by this instance: {}", database, ex.getMessage());
			return false;
		}
		if (claim.reached().isPresent() && this.permit.granted()) {
			try {
				this.store.put(KEY, settled);
			}
			catch (IOException | RuntimeException ex) {
				logger.warn("Could not settle {} of {} ({}); it still carries the last writer's end", KEY,
						this.store.location(), ex.getMessage());
			}
		}
		return true;
	}

	/**
	 * Record where the replica ends as this writer stops writing to it, with its replication stopped and
	 * the lease still held, so that the next writer can prove it continues from exactly there.
	 * @param database the local database, whose mark names this writer
	 * @param end where the replica ends ({@code ReplicationEngine#replicaEnd})
	 * @throws IOException on a storage or file error, or when the local database is not this writer's
	 */
	public void seal(Path database, String end) throws IOException {
		LastWriter writer = LastWriter.parse(Files.readAllBytes(localMark(database)))
			.orElseThrow(() -> new IOException(database + " is not marked as written by this instance"));
		byte[] sealed = writer.sealedAt(end).toJson();
		this.store.put(KEY, sealed);
		Files.write(localMark(database), sealed);
	}

	/**
	 * Return the rule a writer's restore follows ({@link SealedEndRule}), with the mark read when the rule
	 * decides.
	 * @return the rule
	 */
	public ContinuationRule continuationRule() {
		return new SealedEndRule(this::lastWriter, this.permit, this.store.location());
	}

	/**
	 * Return the rule of {@link #continuationRule()} judged against a mark read before: for a writer that
	 * {@linkplain #tryClaim claims} the replica (which replaces the mark) before it restores.
	 * @param last the mark as read before the claim ({@link Claim#previous()})
	 * @return the rule
	 */
	ContinuationRule continuationRule(Optional<LastWriter> last) {
		return new SealedEndRule(() -> last, this.permit, this.store.location());
	}

	/**
	 * Return since when the replica's last writer writes (when it claimed the replica).
	 * @return the instant, or empty when no writer claimed it or the mark predates this field
	 * @throws IOException on a storage error
	 */
	public Optional<Instant> writerSince() throws IOException {
		return lastWriter().flatMap(LastWriter::since);
	}

	/**
	 * A promotion's claim.
	 *
	 * @param mark the mark written
	 * @param previous the mark it replaced, which the promotion's restore is judged against
	 */
	record Claim(LastWriter mark, Optional<LastWriter> previous) {
	}

	private static Path localMark(Path database) {
		return database.resolveSibling("." + database.getFileName() + "-s3lite-writer");
	}

}
