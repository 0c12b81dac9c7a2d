package io.github.s3lite.internal.lease;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.Optional;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

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
 * ({@code {"writer":"<id>","end":"<end>"}}). At a later start, an existing local file whose mark names
 * the replica's writer was written by the last writer and is resumed as it is; another writer means the
 * local file is stale; a follower marks its file as such. A file without a local mark predates the lease
 * and is resumed as it is. A successor continues the restored generation only from a sealed end
 * ({@link #continuationRule()}).
 */
public final class WriterMark {

	/** The key of the mark, relative to the replica. */
	public static final String KEY = "last-writer.json";

	private static final Logger logger = LoggerFactory.getLogger(WriterMark.class);

	private static final Pattern WRITER = Pattern.compile("\"writer\"\\s*:\\s*\"([^\"]*)\"");

	private static final Pattern SINCE = Pattern.compile("\"since\"\\s*:\\s*\"([^\"]*)\"");

	private static final Pattern END = Pattern.compile("\"end\"\\s*:\\s*\"((?:[^\"\\\\]|\\\\.)*)\"");

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
		Optional<String> remote = remoteMark.flatMap(WriterMark::writerOf);
		Path local = localMark(database);
		return remote.isPresent() && Files.exists(local) && remote.equals(writerOf(Files.readAllBytes(local)));
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
		String mark = newMark();
		Files.writeString(localMark(database), mark);
		this.store.put(KEY, mark.getBytes(StandardCharsets.UTF_8));
	}

	/** A fresh writer's mark: a random id, and since when it writes. */
	private static String newMark() {
		return "{\"writer\":\"" + UUID.randomUUID() + "\",\"since\":\"" + Instant.now() + "\"}";
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
	 * mark at once, before the promotion's first replica write, and the local database's mark at once only
	 * when it is the replica's tail already. Otherwise the local file is marked once it holds the
	 * replica's state ({@link #tryMarkLocal}): a promotion that fails before, or a crash, must not leave a
	 * stale file that a later promotion or start takes for the replica's tail.
	 * @param database the local database
	 * @param localIsTail whether the local database is the replica's tail
	 * @return the mark written, empty when the replica could not be marked
	 */
	Optional<String> tryClaim(Path database, boolean localIsTail) {
		String mark = newMark();
		try {
			if (localIsTail) {
				Files.writeString(localMark(database), mark);
			}
			this.store.put(KEY, mark.getBytes(StandardCharsets.UTF_8));
			return Optional.of(mark);
		}
		catch (IOException | RuntimeException ex) {
			logger.warn("Could not mark {} as written by this instance: {}", this.store.location(), ex.getMessage());
			return Optional.empty();
		}
	}

	/**
	 * Mark the local database with the mark this instance claimed the replica with, now that it holds the
	 * replica's state.
	 * @param database the local database
	 * @param mark the mark {@link #tryClaim} wrote
	 * @return whether the local database is marked
	 */
	boolean tryMarkLocal(Path database, String mark) {
		try {
			Files.writeString(localMark(database), mark);
			return true;
		}
		catch (IOException ex) {
			logger.warn("Could not mark {} as written by this instance: {}", database, ex.getMessage());
			return false;
		}
	}

	/**
	 * Record where the replica ends as this writer stops writing to it, with its replication stopped and
	 * the lease still held, so that the next writer can prove it continues from exactly there.
	 * @param database the local database, whose mark names this writer
	 * @param end where the replica ends ({@code ReplicationEngine#replicaEnd})
	 * @throws IOException on a storage or file error, or when the local database is not this writer's
	 */
	public void seal(Path database, String end) throws IOException {
		byte[] local = Files.readAllBytes(localMark(database));
		String writer = writerOf(local)
			.orElseThrow(() -> new IOException(database + " is not marked as written by this instance"));
		String mark = "{\"writer\":\"" + writer + "\",\"since\":\"" + sinceOf(local).map(Instant::toString).orElse("")
				+ "\",\"end\":\"" + end.replace("\\", "\\\\").replace("\"", "\\\"") + "\"}";
		this.store.put(KEY, mark.getBytes(StandardCharsets.UTF_8));
		Files.writeString(localMark(database), mark);
	}

	/**
	 * Return the end the last writer sealed, if it did.
	 * @return the end, or empty when the last writer did not stop cleanly (or there was none)
	 * @throws IOException on a storage error
	 */
	public Optional<String> sealedEnd() throws IOException {
		return this.store.getVersioned(KEY).flatMap((mark) -> {
			Matcher end = END.matcher(new String(mark.content(), StandardCharsets.UTF_8));
			return end.find() ? Optional.of(end.group(1).replace("\\\"", "\"").replace("\\\\", "\\"))
					: Optional.empty();
		});
	}

	/**
	 * Return the rule a writer's restore follows ({@link SealedEndRule}), with the seal read when the rule
	 * decides.
	 * @return the rule
	 */
	public ContinuationRule continuationRule() {
		return new SealedEndRule(this::sealedEnd, this.permit, this.store.location());
	}

	/**
	 * Return the rule of {@link #continuationRule()} judged against the seal as it is now, read once: for a
	 * writer that {@linkplain #claim claims} the replica (which replaces the seal) before it restores.
	 * @return the rule
	 */
	public ContinuationRule continuationRuleSealedNow() {
		try {
			Optional<String> sealed = sealedEnd();
			return new SealedEndRule(() -> sealed, this.permit, this.store.location());
		}
		catch (IOException ex) {
			return new SealedEndRule(() -> {
				throw ex;
			}, this.permit, this.store.location());
		}
	}

	/**
	 * Return since when the replica's last writer writes (when it claimed the replica).
	 * @return the instant, or empty when no writer claimed it or the mark predates this field
	 * @throws IOException on a storage error
	 */
	public Optional<Instant> writerSince() throws IOException {
		return this.store.getVersioned(KEY).flatMap((mark) -> sinceOf(mark.content()));
	}

	private static Optional<Instant> sinceOf(byte[] mark) {
		Matcher since = SINCE.matcher(new String(mark, StandardCharsets.UTF_8));
		try {
			return since.find() ? Optional.of(Instant.parse(since.group(1))) : Optional.empty();
		}
		catch (DateTimeParseException ex) {
			return Optional.empty();
		}
	}

	private static Optional<String> writerOf(VersionedObject mark) {
		return writerOf(mark.content());
	}

	private static Optional<String> writerOf(byte[] mark) {
		Matcher writer = WRITER.matcher(new String(mark, StandardCharsets.UTF_8));
		return writer.find() ? Optional.of(writer.group(1)) : Optional.empty();
	}

	private static Path localMark(Path database) {
		return database.resolveSibling("." + database.getFileName() + "-s3lite-writer");
	}

}
