package io.github.s3lite.internal.nativeengine;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.StandardOpenOption;
import java.util.Optional;

import io.github.s3lite.internal.nativeengine.wal.WalHeader;

/**
 * Copies the WAL into the database without letting it restart over a frame the replica lacks, and
 * with application writers locked out only for a moment, in two passes. Callers serialize it with
 * uploads (the replica writer's shipping lock).
 *
 * <p>
 * <b>Unlocked pass</b>, repeated until little is left, at most four times and only while the WAL holds
 * less than three eighths of its bound (each ships only what writers appended during the one before, so
 * they shorten as long as uploads outpace writers): open a read transaction, which pins the WAL at its
 * snapshot; ship every committed frame (all frames of the snapshot and any appended since); run a
 * PASSIVE checkpoint, which copies frames only up to the oldest read mark in use, so only shipped
 * frames; end the read transaction. Writers keep committing meanwhile. While the read transaction
 * holds a read mark no writer can restart the WAL. When the WAL was fully copied as the transaction
 * began it gets read mark 0 instead, which pins nothing; but a checkpoint then cannot copy anything (it
 * needs read mark 0 exclusively), and a writer restarts the WAL only over frames an earlier complete
 * checkpoint copied, all of them shipped. A complete checkpoint is recorded (the restart it permits is
 * accepted) only when it saw frames and the WAL header was the same before and after it, so that it is
 * never attributed to a WAL life it did not see.
 *
 * <p>
 * <b>Locked pass</b>, after the unlocked passes: take the write lock, copy the few committed bytes left
 * into memory (a {@link HeldSegment}), checkpoint them (the unlocked passes copied and flushed the rest,
 * so this is short), release the lock, then upload the copy before anything of the next WAL life. The
 * next write then restarts the WAL, unless a reader holds a read mark at that very moment (a writer
 * waiting for the lock takes one for an instant); frames appended to the fully copied life show that,
 * and the passes run again at once.
 */
final class WalCheckpointer {

	private static final int MAX_UNLOCKED_PASSES = 4;

	/** The most the locked pass aims at copying while it holds the write lock. */
	private static final long HOLD_AT_MOST = 1024 * 1024;

	private static final int MAX_RESTART_RETRIES = 2;

	private final ReplicatedWal wal;

	private final SqliteControl sqlite;

	private final WalShipper shipper;

	private final long holdAtMost;

	private final long lockAbove;

	/**
	 * @param maxWalSize the bound of the WAL: once the WAL holds three eighths of it, the locked pass
	 * follows at once; the locked pass aims at holding at most a sixteenth of it, and never more than 1 MB,
	 * in memory
	 */
	WalCheckpointer(ReplicatedWal wal, SqliteControl sqlite, WalShipper shipper, long maxWalSize) {
		this.wal = wal;
		this.sqlite = sqlite;
		this.shipper = shipper;
		this.holdAtMost = Math.min(HOLD_AT_MOST, maxWalSize / 16);
		this.lockAbove = maxWalSize / 8 * 3;
	}

	/**
	 * Ship and checkpoint everything committed.
	 * @throws WalContinuityException if the WAL restarted before its frames were shipped
	 * @throws IOException on a storage, file or SQLite error
	 */
	void checkpoint() throws IOException {
		this.shipper.uploadHeld();
		boolean complete = unlockedThenLockedPasses();
		for (int retry = 1; retry <= MAX_RESTART_RETRIES && complete && this.wal.restartMissed(); retry++) {
			complete = unlockedThenLockedPasses();
		}
	}

	/**
	 * Unlocked passes until little is pending or the WAL nears its bound, then the locked pass; whether it
	 * copied every frame.
	 */
	private boolean unlockedThenLockedPasses() throws IOException {
		for (int pass = 1; pass <= MAX_UNLOCKED_PASSES && this.wal.committedLength() < this.lockAbove; pass++) {
			unlockedPass();
			if (this.wal.pendingBytes() <= this.holdAtMost) {
				break;
			}
		}
		boolean complete = lockedPass();
		this.shipper.uploadHeld();
		return complete;
	}

	private void unlockedPass() throws IOException {
		this.sqlite.whileReading(() -> {
			Optional<WalHeader> before = this.wal.currentHeader();
			this.shipper.shipPending();
			SqliteControl.Checkpoint[] result = new SqliteControl.Checkpoint[1];
			this.shipper.watched(() -> result[0] = this.sqlite.checkpointPassive());
			SqliteControl.Checkpoint checkpoint = result[0];
			Optional<WalHeader> after = this.wal.currentHeader();
			if (checkpoint.complete() && checkpoint.walFrames() > 0 && before.isPresent() && before.equals(after)) {
				this.wal.backfilled(after.get(), checkpoint.walFrames());
			}
		});
	}

	/** Flush the WAL file to disk (no lock of SQLite's or of the tracked WAL is needed for that). */
	private void flushWal() throws IOException {
		try (FileChannel channel = FileChannel.open(this.wal.file(), StandardOpenOption.READ)) {
			channel.force(false);
		}
		catch (NoSuchFileException ex) {
			// no WAL, nothing to flush
		}
	}

	private boolean lockedPass() throws IOException {
		boolean[] complete = new boolean[1];
		// the checkpoint flushes the WAL before it copies: flushed now, what it flushes under the lock is
		// only what writers append until it runs
		flushWal();
		this.sqlite.whileWriteLocked(() -> {
			this.wal.hold();
			SqliteControl.Checkpoint checkpoint = this.sqlite.checkpointPassive();
			complete[0] = checkpoint.complete();
			this.shipper.checkpointsComplete(complete[0]);
			if (checkpoint.complete()) {
				// no writer can commit, so no restart can happen, before the lock is released
				Optional<WalHeader> life = this.wal.currentHeader();
				if (life.isPresent()) {
					this.wal.backfilled(life.get(), checkpoint.walFrames());
				}
			}
		});
		return complete[0];
	}

}
