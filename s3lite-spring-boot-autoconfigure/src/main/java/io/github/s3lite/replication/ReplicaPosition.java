package io.github.s3lite.replication;

/**
 * A position in a replica, whatever its format (litestream v0.3's WAL segments today; LTX files next):
 * the generation, a lineage of the database that a restore elsewhere or a lost WAL starts anew, and
 * how far into it. {@link #toString()} shows it as {@code generation/position} in the format's own
 * notation (for litestream v0.3, {@code <generation>/<index, 8 hex digits>:<offset>}).
 */
public interface ReplicaPosition {

	/**
	 * Return the generation.
	 * @return the generation's identifier
	 */
	String generation();

	/**
	 * Return whether this position is at or after another one of the same generation and format.
	 * @param other the other position, {@code null} for "nothing"
	 * @return {@code true} when both are in the same generation and this one is not behind
	 */
	boolean reached(ReplicaPosition other);

}
