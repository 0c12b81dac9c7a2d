package io.github.s3lite.internal.nativeengine;

/**
 * WAL bytes copied under the write lock just before a checkpoint, held in memory until they are
 * uploaded after the lock is released, so that application writers never wait for the network. The
 * checkpoint may let the next write restart the WAL over them; from then on this copy is the only one
 * outside the database file, so it is uploaded before anything of the next index.
 *
 * @param generation the generation
 * @param index the WAL index
 * @param offset the segment's byte offset in that index
 * @param bytes the raw WAL bytes
 */
record HeldSegment(String generation, long index, long offset, byte[] bytes) {

}
