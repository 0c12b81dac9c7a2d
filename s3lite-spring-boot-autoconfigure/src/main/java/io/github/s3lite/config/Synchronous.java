package io.github.s3lite.config;

/**
 * Values of SQLite's {@code synchronous} pragma.
 */
public enum Synchronous {

	/** No fsync: fastest, a power loss can corrupt the database. */
	OFF,

	/** fsync at checkpoints only: durable against application crashes, the WAL-mode default. */
	NORMAL,

	/** fsync on every commit. */
	FULL,

	/** FULL plus an fsync of the directory after deleting journals. */
	EXTRA

}
