package io.github.s3lite.internal.storage;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.locks.ReentrantLock;

/**
 * Exclusive locks per file, within this JVM (a {@link ReentrantLock} per path: the OS lock of
 * {@link FileChannel} is per process) and between processes (an OS lock on a hidden
 * {@code .<name>.lock} file next to the object).
 */
final class FileKeyLocks {

	private final ConcurrentMap<Path, ReentrantLock> inProcess = new ConcurrentHashMap<>();

	/**
	 * Lock a file until the returned handle is closed.
	 * @param target the file
	 * @return the held lock
	 * @throws IOException if the lock file cannot be opened or locked
	 */
	Held lock(Path target) throws IOException {
		ReentrantLock local = this.inProcess.computeIfAbsent(target, (path) -> new ReentrantLock());
		local.lock();
		try {
			Path lockFile = target.resolveSibling("." + target.getFileName() + ".lock");
			FileChannel channel = FileChannel.open(lockFile, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
			try {
				return new Held(local, channel, channel.lock());
			}
			catch (IOException | RuntimeException ex) {
				channel.close();
				throw ex;
			}
		}
		catch (IOException | RuntimeException ex) {
			local.unlock();
			throw ex;
		}
	}

	/**
	 * A held lock.
	 */
	static final class Held implements AutoCloseable {

		private final ReentrantLock local;

		private final FileChannel channel;

		private final FileLock lock;

		private Held(ReentrantLock local, FileChannel channel, FileLock lock) {
			this.local = local;
			this.channel = channel;
			this.lock = lock;
		}

		@Override
		public void close() throws IOException {
			try {
				this.lock.release();
				this.channel.close();
			}
			finally {
				this.local.unlock();
			}
		}

	}

}
