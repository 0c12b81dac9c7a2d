package io.github.s3lite.internal.engine;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.concurrent.TimeUnit;
import java.util.zip.CRC32C;

/**
 * The size and CRC-32C of a database file, with its modification time and file key, kept in a
 * {@link ContinuityRecord} to prove on the next start that nothing changed the file since: the same
 * size, modification time (to the nanosecond where the file system keeps it) and file key (the same
 * file, e.g. the same inode) prove it without reading the file; otherwise the content must have the
 * same CRC-32C.
 *
 * @param size the file's size in bytes
 * @param crc the CRC-32C of its content, or {@link #UNKNOWN_CRC}
 * @param modified the modification time, in nanoseconds since the epoch
 * @param fileKey the file key, or an empty string when the file system has none
 */
record DatabaseFingerprint(long size, long crc, long modified, String fileKey) {

	/** The CRC of a fingerprint taken without reading the content. */
	static final long UNKNOWN_CRC = -1;

	/**
	 * Read the fingerprint of a file, its content included.
	 * @param file the file
	 * @return its fingerprint
	 * @throws IOException on a file error
	 */
	static DatabaseFingerprint of(Path file) throws IOException {
		CRC32C crc = new CRC32C();
		byte[] buffer = new byte[256 * 1024];
		try (InputStream in = Files.newInputStream(file)) {
			for (int read = in.read(buffer); read >= 0; read = in.read(buffer)) {
				crc.update(buffer, 0, read);
			}
		}
		return withCrc(file, crc.getValue());
	}

	/**
	 * Read the fingerprint of a file without reading its content ({@link #UNKNOWN_CRC}): cheap, for a
	 * file that the same process starts replicating moments later (a restored one), which then proves
	 * itself unchanged by its modification time and file key alone.
	 * @param file the file
	 * @return its fingerprint
	 * @throws IOException on a file error
	 */
	static DatabaseFingerprint ofAttributes(Path file) throws IOException {
		return withCrc(file, UNKNOWN_CRC);
	}

	private static DatabaseFingerprint withCrc(Path file, long crc) throws IOException {
		BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
		return new DatabaseFingerprint(attributes.size(), crc, nanos(attributes), key(attributes));
	}

	private static long nanos(BasicFileAttributes attributes) {
		return attributes.lastModifiedTime().to(TimeUnit.NANOSECONDS);
	}

	private static String key(BasicFileAttributes attributes) {
		return (attributes.fileKey() != null) ? attributes.fileKey().toString() : "";
	}

	/**
	 * Return whether a file still has this fingerprint.
	 * @param file the file
	 * @return {@code true} when its size is unchanged and either its modification time and file key or
	 * its CRC-32C are
	 * @throws IOException on a file error
	 */
	boolean matches(Path file) throws IOException {
		BasicFileAttributes attributes = Files.readAttributes(file, BasicFileAttributes.class);
		if (attributes.size() != this.size) {
			return false;
		}
		if (nanos(attributes) == this.modified && !this.fileKey.isEmpty() && key(attributes).equals(this.fileKey)) {
			return true;
		}
		return this.crc != UNKNOWN_CRC && of(file).crc() == this.crc;
	}

}
