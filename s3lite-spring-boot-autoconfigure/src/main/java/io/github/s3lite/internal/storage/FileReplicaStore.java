package io.github.s3lite.internal.storage;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

/**
 * A {@link ReplicaStore} over a directory ({@code file:} replicas). Every write goes to a hidden
 * temporary file in the target's directory, is forced to disk and then atomically moved into place,
 * so readers never see a partial object.
 *
 * <p>
 * Conditional operations use the SHA-256 of the content as the ETag and run under a lock per key: an
 * in-JVM lock plus an OS lock ({@link FileChannel#lock()}) on a hidden {@code .<name>.lock} file next
 * to the object; create-if-absent links the new file into place, which fails atomically if the name
 * exists. These guarantees hold between processes on one host. On network file systems they are only
 * as good as the file system's advisory locks and atomic rename/link: NFS needs working lock
 * services (NFSv4 or lockd), and some SMB or FUSE mounts ignore locks entirely, so two hosts sharing
 * such a mount may both win a compare-and-swap. Use an {@code s3://} replica for a lease across hosts.
 */
public final class FileReplicaStore implements ReplicaStore {

	private final ReplicaDirectory directory;

	private final FileKeyLocks locks = new FileKeyLocks();

	/**
	 * Create a store over a directory, which is created on the first write.
	 * @param root the directory
	 */
	public FileReplicaStore(Path root) {
		this.directory = new ReplicaDirectory(root.toAbsolutePath().normalize());
	}

	@Override
	public String location() {
		return "file:" + this.directory.root();
	}

	@Override
	public List<StoredObject> list(String prefix) throws IOException {
		return this.directory.list(prefix);
	}

	@Override
	public List<StoredObject> list(String prefix, String startAfter) throws IOException {
		return this.directory.list(prefix).stream().filter((object) -> after(object.key(), startAfter)).toList();
	}

	/** S3's order: UTF-8 bytes, unsigned; {@link String#compareTo} differs above the BMP. */
	private static boolean after(String key, String startAfter) {
		return Arrays.compareUnsigned(key.getBytes(StandardCharsets.UTF_8),
				startAfter.getBytes(StandardCharsets.UTF_8)) > 0;
	}

	@Override
	public InputStream get(String key) throws IOException {
		return Files.newInputStream(this.directory.resolve(key));
	}

	@Override
	public byte[] getRange(String key, long offset, int length) throws IOException {
		try (FileChannel channel = FileChannel.open(this.directory.resolve(key), StandardOpenOption.READ)) {
			java.nio.ByteBuffer buffer = java.nio.ByteBuffer.allocate(length);
			while (buffer.hasRemaining()) {
				if (channel.read(buffer, offset + buffer.position()) < 0) {
					throw new IOException(key + " ends before byte " + (offset + length));
				}
			}
			return buffer.array();
		}
	}

	@Override
	public Optional<VersionedObject> getVersioned(String key) throws IOException {
		try {
			byte[] content = Files.readAllBytes(this.directory.resolve(key));
			return Optional.of(new VersionedObject(content, ContentEtag.of(content)));
		}
		catch (NoSuchFileException ex) {
			return Optional.empty();
		}
	}

	@Override
	public void put(String key, InputStream content, long length) throws IOException {
		write(key, (out) -> {
			long copied = content.transferTo(out);
			if (copied != length) {
				throw new IOException("Expected " + length + " bytes for " + key + " but the stream had " + copied);
			}
		});
	}

	@Override
	public void write(String key, ObjectContent content) throws IOException {
		Path target = this.directory.resolve(key);
		Path temp = writeTemp(target, content);
		try {
			Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
			forceDirectory(target.getParent());
		}
		finally {
			Files.deleteIfExists(temp);
		}
	}

	@Override
	public void delete(Collection<String> keys) throws IOException {
		for (String key : keys) {
			Files.deleteIfExists(this.directory.resolve(key));
		}
	}

	@Override
	public ConditionalResult createIfAbsent(String key, byte[] content) throws IOException {
		Path target = this.directory.resolve(key);
		Path temp = writeTemp(target, (out) -> out.write(content));
		try (FileKeyLocks.Held lock = this.locks.lock(target)) {
			linkIntoPlace(temp, target);
			forceDirectory(target.getParent());
			return ConditionalResult.written(ContentEtag.of(content));
		}
		catch (FileAlreadyExistsException ex) {
			return ConditionalResult.preconditionFailed();
		}
		finally {
			Files.deleteIfExists(temp);
		}
	}

	@Override
	public ConditionalResult replaceIfMatch(String key, byte[] content, String etag) throws IOException {
		Path target = this.directory.resolve(key);
		Path temp = writeTemp(target, (out) -> out.write(content));
		try (FileKeyLocks.Held lock = this.locks.lock(target)) {
			if (!currentEtagMatches(target, etag)) {
				return ConditionalResult.preconditionFailed();
			}
			Files.move(temp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
			forceDirectory(target.getParent());
			return ConditionalResult.written(ContentEtag.of(content));
		}
		finally {
			Files.deleteIfExists(temp);
		}
	}

	@Override
	public ConditionalResult deleteIfMatch(String key, String etag) throws IOException {
		Path target = this.directory.resolve(key);
		if (!Files.isDirectory(target.getParent())) {
			return ConditionalResult.preconditionFailed();
		}
		try (FileKeyLocks.Held lock = this.locks.lock(target)) {
			if (!currentEtagMatches(target, etag)) {
				return ConditionalResult.preconditionFailed();
			}
			Files.delete(target);
			return ConditionalResult.deleted();
		}
	}

	@Override
	public void close() {
	}

	private boolean currentEtagMatches(Path target, String etag) throws IOException {
		try {
			return ContentEtag.of(Files.readAllBytes(target)).equals(etag);
		}
		catch (NoSuchFileException ex) {
			return false;
		}
	}

	private static void linkIntoPlace(Path temp, Path target) throws IOException {
		try {
			Files.createLink(target, temp);
		}
		catch (UnsupportedOperationException ex) {
			// no hard links here: a plain move refuses an existing target, and the key lock serialises us
			Files.move(temp, target);
		}
	}

	private Path writeTemp(Path target, ObjectContent content) throws IOException {
		Files.createDirectories(target.getParent());
		Path temp = target.resolveSibling("." + target.getFileName() + "." + UUID.randomUUID() + ".tmp");
		try (FileChannel channel = FileChannel.open(temp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE)) {
			OutputStream out = Channels.newOutputStream(channel);
			content.writeTo(out);
			out.flush();
			channel.force(true);
		}
		catch (IOException | RuntimeException ex) {
			Files.deleteIfExists(temp);
			throw ex;
		}
		return temp;
	}

	private static void forceDirectory(Path directory) {
		try (FileChannel channel = FileChannel.open(directory, StandardOpenOption.READ)) {
			channel.force(true);
		}
		catch (IOException ex) {
			// not every platform can sync a directory; the rename itself is still atomic
		}
	}

}
