package io.github.s3lite.internal.datasource;

import java.io.IOException;
import java.net.InetAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Instant;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An exclusive lock on the local database for the life of one s3lite instance: the lock file
 * {@code .<file>.s3lite-lock} next to the database, locked with the operating system's file lock and
 * naming its holder. The operating system releases the lock when the holding process dies, however it
 * dies, so a lock that can be taken proves that no live s3lite instance uses the database: whatever an
 * earlier one left behind (an orphaned child process) can be cleaned up, and a second live instance on
 * the same file fails fast instead of replicating it twice.
 */
public final class DatabaseLock implements AutoCloseable {

	private static final Logger logger = LoggerFactory.getLogger(DatabaseLock.class);

	private final Path file;

	private final FileChannel channel;

	private final FileLock lock;

	private DatabaseLock(Path file, FileChannel channel, FileLock lock) {
		this.file = file;
		this.channel = channel;
		this.lock = lock;
	}

	/**
	 * Take the lock of a database, whose directory must exist.
	 * @param database the absolute database path
	 * @return the held lock
	 * @throws DatabaseInUseException when another live process, or another s3lite instance in this JVM,
	 * holds it
	 * @throws SqliteDatabaseFile.DatabaseFileException when the lock file cannot be used
	 */
	public static DatabaseLock acquire(Path database) {
		Path file = database.resolveSibling("." + database.getFileName() + ".s3lite-lock");
		FileChannel channel = null;
		try {
			channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.READ,
					StandardOpenOption.WRITE);
			FileLock lock = tryLock(channel);
			if (lock == null) {
				String holder = Files.readString(file, StandardCharsets.UTF_8).strip();
				channel.close();
				throw new DatabaseInUseException(database, holder.isEmpty() ? "an unknown process" : holder);
			}
			byte[] holder = describeThisProcess().getBytes(StandardCharsets.UTF_8);
			channel.truncate(0);
			channel.write(ByteBuffer.wrap(holder), 0);
			logger.debug("Locked {} ({})", database, file);
			return new DatabaseLock(file, channel, lock);
		}
		catch (IOException ex) {
			closeQuietly(channel);
			throw new SqliteDatabaseFile.DatabaseFileException("Cannot lock s3lite.path (" + database + ") through "
					+ file + ": " + ex + ". Put s3lite.path on a local filesystem that supports file locks.", ex);
		}
	}

	private static FileLock tryLock(FileChannel channel) throws IOException {
		try {
			return channel.tryLock();
		}
		catch (OverlappingFileLockException ex) {
			// held by another s3lite instance in this JVM
			return null;
		}
	}

	private static String describeThisProcess() {
		String host;
		try {
			host = InetAddress.getLocalHost().getHostName();
		}
		catch (IOException ex) {
			host = "unknown host";
		}
		return "pid " + ProcessHandle.current().pid() + " on " + host + " since " + Instant.now();
	}

	private static void closeQuietly(FileChannel channel) {
		if (channel != null) {
			try {
				channel.close();
			}
			catch (IOException ex) {
				// nothing left to release
			}
		}
	}

	/**
	 * Release the lock; idempotent. The lock file stays, so that no other instance can lock a file that
	 * is about to be deleted.
	 */
	@Override
	public void close() {
		try {
			if (this.lock.isValid()) {
				this.lock.release();
			}
		}
		catch (IOException ex) {
			logger.debug("Could not release the lock {}", this.file, ex);
		}
		closeQuietly(this.channel);
	}

	/**
	 * Thrown when another live s3lite instance uses the same local database.
	 */
	public static class DatabaseInUseException extends SqliteDatabaseFile.DatabaseFileException {

		DatabaseInUseException(Path database, String holder) {
			super("s3lite.path (" + database + ") is in use by another s3lite instance (" + holder + "). Two "
					+ "instances must never share a local database file: stop the other one, or point s3lite.path "
					+ "at another file.", null);
		}

	}

}
