package io.github.s3lite.internal.litestream;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;

import io.github.s3lite.internal.config.LitestreamOptions;
import io.github.s3lite.internal.config.ReplicaUrl;
import io.github.s3lite.internal.config.S3Connection;

/**
 * Generates litestream's YAML configuration for one database and one replica. The provider settings
 * (endpoint, region, path-style) are the ones {@link S3Connection} gives the native engine's client as
 * well; its client customizers are Java code and cannot reach the litestream binary's own client. The
 * file holds no credentials (they travel in the child's environment), is owner-only, lives in an
 * owner-only directory, and is read with {@code -no-expand-env}. Durations are always written with
 * units: litestream reads a bare number as nanoseconds.
 */
public final class LitestreamConfigFile {

	private LitestreamConfigFile() {
	}

	/**
	 * Create an owner-only working directory for config files. The caller deletes it when its operation
	 * ends (in a {@code finally} block, or when replication stops): it is not registered for deletion at
	 * JVM exit, whose list would grow with every operation.
	 * @return the directory
	 */
	public static Path createWorkDirectory() {
		try {
			return Files.createTempDirectory("s3lite-",
					PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not create a private directory for litestream's configuration in "
					+ System.getProperty("java.io.tmpdir"), ex);
		}
	}

	/**
	 * Write the configuration for {@code litestream replicate}.
	 * @param file where to write it
	 * @param database the database
	 * @param replica the replica
	 * @param s3 the S3 connection (credentials are not written)
	 * @param options the litestream options
	 * @param metricsPort loopback port for the metrics endpoint
	 * @return the file
	 */
	public static Path writeReplicate(Path file, Path database, ReplicaUrl replica, S3Connection s3,
			LitestreamOptions options, int metricsPort) {
		StringBuilder yaml = new StringBuilder();
		yaml.append("addr: ").append(quote("127.0.0.1:" + metricsPort)).append('\n');
		yaml.append("dbs:\n");
		yaml.append("  - path: ").append(quote(database.toString())).append('\n');
		yaml.append("    monitor-interval: ").append(duration(options.monitorInterval())).append('\n');
		yaml.append("    checkpoint-interval: ").append(duration(options.checkpointInterval())).append('\n');
		yaml.append("    min-checkpoint-page-count: ").append(options.minCheckpointPageCount()).append('\n');
		yaml.append("    max-checkpoint-page-count: ").append(options.maxCheckpointPageCount()).append('\n');
		yaml.append("    replicas:\n");
		appendReplica(yaml, replica, s3);
		yaml.append("        sync-interval: ").append(duration(options.syncInterval())).append('\n');
		if (!options.snapshotInterval().isZero()) {
			yaml.append("        snapshot-interval: ").append(duration(options.snapshotInterval())).append('\n');
		}
		yaml.append("        retention: ").append(duration(options.retention())).append('\n');
		return write(file, yaml);
	}

	/**
	 * Write the configuration {@code litestream restore} reads the replica from.
	 * @param file where to write it
	 * @param database the database path the replica belongs to
	 * @param replica the replica
	 * @param s3 the S3 connection (credentials are not written)
	 * @return the file
	 */
	public static Path writeRestore(Path file, Path database, ReplicaUrl replica, S3Connection s3) {
		StringBuilder yaml = new StringBuilder();
		yaml.append("dbs:\n");
		yaml.append("  - path: ").append(quote(database.toString())).append('\n');
		yaml.append("    replicas:\n");
		appendReplica(yaml, replica, s3);
		return write(file, yaml);
	}

	private static void appendReplica(StringBuilder yaml, ReplicaUrl replica, S3Connection s3) {
		if (replica.scheme() == ReplicaUrl.Scheme.FILE) {
			yaml.append("      - type: file\n");
			yaml.append("        path: ").append(quote(replica.directory().toString())).append('\n');
			return;
		}
		yaml.append("      - type: s3\n");
		yaml.append("        bucket: ").append(quote(replica.bucket())).append('\n');
		yaml.append("        path: ").append(quote(replica.prefix())).append('\n');
		if (s3.endpoint() != null) {
			yaml.append("        endpoint: ").append(quote(s3.endpoint())).append('\n');
		}
		String region = s3.effectiveRegion();
		if (region != null) {
			yaml.append("        region: ").append(quote(region)).append('\n');
		}
		yaml.append("        force-path-style: ").append(s3.forcePathStyle()).append('\n');
	}

	private static Path write(Path file, StringBuilder yaml) {
		try {
			Files.deleteIfExists(file);
			Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
			Files.writeString(file, yaml, StandardCharsets.UTF_8);
			return file;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not write litestream's configuration to " + file, ex);
		}
	}

	/**
	 * Format a duration the way Go's time.ParseDuration reads it, always with a unit.
	 * @param duration the duration
	 * @return e.g. {@code 1500ms}
	 */
	static String duration(Duration duration) {
		long nanos = duration.toNanos();
		return (nanos % 1_000_000 == 0) ? (nanos / 1_000_000) + "ms" : nanos + "ns";
	}

	/**
	 * Quote a YAML scalar in double quotes, escaping backslashes, quotes and control characters.
	 * @param value the value
	 * @return the quoted scalar
	 */
	static String quote(String value) {
		StringBuilder quoted = new StringBuilder("\"");
		for (char c : value.toCharArray()) {
			switch (c) {
				case '"' -> quoted.append("\\\"");
				case '\\' -> quoted.append("\\\\");
				case '\n' -> quoted.append("\\n");
				case '\t' -> quoted.append("\\t");
				default -> {
					if (c < 0x20) {
						quoted.append(String.format("\\x%02x", (int) c));
					}
					else {
						quoted.append(c);
					}
				}
			}
		}
		return quoted.append('"').toString();
	}

}
