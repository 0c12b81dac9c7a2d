package io.github.s3lite.internal.nativeengine;

import io.github.s3lite.internal.nativeengine.wal.WalHeader;

/**
 * The WAL life a checkpoint of this writer last copied completely into the database, and the life's
 * length then. It tells whether the database holds exactly what was shipped and whether a WAL restart
 * may end an index. Not thread-safe: {@link ReplicatedWal} uses it under its lock.
 */
final class CompleteCheckpoint {

	private WalHeader life;

	private long length;

	/**
	 * Record a checkpoint that copied every frame of a WAL life into the database.
	 * @param life the header of the life the checkpoint saw
	 * @param frames the frames it copied, all of the life's
	 */
	void record(WalHeader life, int frames) {
		this.life = life;
		this.length = WalHeader.SIZE + (long) frames * life.frameSize();
	}

	/** Forget the checkpoint (a new generation begins). */
	void forget() {
		this.life = null;
	}

	/** Whether it copied the given life (its length then is {@link #length()}). */
	boolean copied(WalHeader walLife) {
		return this.life != null && this.life.sameLife(walLife);
	}

	/** The length of the life it copied, header included. */
	long length() {
		return this.length;
	}

	/**
	 * Whether the database holds exactly a life shipped up to an offset.
	 * @param shipped the header of the shipped life
	 * @param offset the shipped offset
	 */
	boolean holdsExactly(WalHeader shipped, long offset) {
		return copied(shipped) && this.length == offset;
	}

	/**
	 * Whether the WAL may restart after a life shipped up to an offset: the checkpoint copied that life and
	 * everything it copied was shipped. SQLite restarts the WAL only once every frame was copied into the
	 * database, and only this writer checkpoints.
	 * @param shipped the header of the shipped life
	 * @param offset the shipped offset
	 */
	boolean allowsRestart(WalHeader shipped, long offset) {
		return copied(shipped) && offset >= this.length;
	}

}
