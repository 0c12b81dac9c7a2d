package io.github.s3lite.internal.datasource;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;

import org.sqlite.SQLiteCommitListener;

/**
 * Tells, from SQLite itself, whether a connection committed a transaction that wrote to the database
 * since the last {@link #mark()}: SQLite's commit hook reports every commit of a write transaction,
 * including pragmas, DDL and DML whose rows are returned; the WAL index header ({@code <db>-shm}), read
 * when the hook fires (the commit holds the write lock, so nothing else changes it) and again when
 * asked, tells whether that commit appended frames, so that a write transaction that changed nothing
 * does not count. {@code VACUUM} commits without the hook and is reported by the caller
 * ({@link #vacuumed()}).
 * <p>
 * Used by one connection, on the thread running its statements (SQLite runs the hooks on it).
 */
final class CommitObserver implements SQLiteCommitListener, AutoCloseable {

	/** The two copies of the WAL index header: version, change counter, frame count, checksums, salts. */
	private static final int HEADER_BYTES = 96;

	private final Path shm;

	private final ByteBuffer buffer = ByteBuffer.allocate(HEADER_BYTES);

	private FileChannel channel;

	private boolean committed;

	private byte[] headerBeforeCommit;

	private boolean vacuumed;

	CommitObserver(Path database) {
		this.shm = database.resolveSibling(database.getFileName() + "-shm");
	}

	@Override
	public synchronized void onCommit() {
		if (!this.committed) {
			this.committed = true;
			this.headerBeforeCommit = header();
		}
	}

	@Override
	public void onRollback() {
	}

	/** Note a {@code VACUUM}: it rewrites the database without SQLite's commit hook. */
	synchronized void vacuumed() {
		this.vacuumed = true;
	}

	/** Return whether a commit since the last {@link #mark()} appended to the WAL. */
	synchronized boolean wroteSinceMark() {
		if (this.vacuumed) {
			return true;
		}
		if (!this.committed) {
			return false;
		}
		byte[] before = this.headerBeforeCommit;
		byte[] now = header();
		return before == null || now == null || !Arrays.equals(before, now);
	}

	/** Forget the commits so far. */
	synchronized void mark() {
		this.committed = false;
		this.headerBeforeCommit = null;
		this.vacuumed = false;
	}

	/** The WAL index header, empty without one, {@code null} when it cannot be read (counts as changed). */
	private byte[] header() {
		try {
			if (this.channel == null) {
				if (!this.shm.toFile().exists()) {
					return new byte[0];
				}
				this.channel = FileChannel.open(this.shm, StandardOpenOption.READ);
			}
			this.buffer.clear();
			while (this.buffer.hasRemaining()) {
				if (this.channel.read(this.buffer, this.buffer.position()) < 0) {
					break;
				}
			}
			return Arrays.copyOf(this.buffer.array(), this.buffer.position());
		}
		catch (IOException | RuntimeException ex) {
			return null;
		}
	}

	@Override
	public synchronized void close() {
		if (this.channel != null) {
			try {
				this.channel.close();
			}
			catch (IOException ex) {
				// read-only channel: nothing to lose
			}
			this.channel = null;
		}
	}

}
