package io.github.s3lite.internal.nativeengine.wal;

/**
 * The part of a WAL file that SQLite's recovery would keep: the header and every frame up to the
 * last commit frame whose salts match the header and whose checksums chain from it.
 *
 * @param header the header
 * @param length byte length of the prefix from the start of the file (32 when no transaction is
 * committed)
 * @param checksum the cumulative checksum at the end of the prefix, the seed for the next frame
 * @param commits number of commit frames in the scanned range
 * @param databasePages database size in pages after the last commit, 0 when there is none
 */
public record CommittedWal(WalHeader header, long length, WalChecksum checksum, int commits, int databasePages) {

}
