package io.github.s3lite.config;

/**
 * Lock a transaction takes when it begins ({@code BEGIN DEFERRED|IMMEDIATE|EXCLUSIVE}).
 */
public enum TxLock {

	/** Locks are taken when first needed; a read-then-write transaction may fail with SQLITE_BUSY. */
	DEFERRED,

	/** The write lock is taken at BEGIN; other writers wait up to the busy timeout. */
	IMMEDIATE,

	/** Like IMMEDIATE; in WAL mode it also behaves as IMMEDIATE for readers. */
	EXCLUSIVE

}
