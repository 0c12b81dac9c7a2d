package io.github.s3lite.replication;

/**
 * A position in a replicated WAL stream in litestream v0.3's replica format: generation, WAL index and
 * byte offset.
 *
 * @param generation the 16-hex-digit generation
 * @param index the WAL index within the generation
 * @param offset the byte offset within that WAL file
 */
public record WalPosition(String generation, long index, long offset) {

	/**
	 * Return whether this position is at or after another one of the same generation.
	 * @param other the other position
	 * @return {@code true} when both are in the same generation and this one is not behind
	 */
	public boolean reached(WalPosition other) {
		if (other == null) {
			return true;
		}
		if (this.generation == null || !this.generation.equals(other.generation)) {
			return false;
		}
		return this.index > other.index || (this.index == other.index && this.offset >= other.offset);
	}

	@Override
	public String toString() {
		return this.generation + "/" + String.format("%08x", this.index) + ":" + this.offset;
	}

}
