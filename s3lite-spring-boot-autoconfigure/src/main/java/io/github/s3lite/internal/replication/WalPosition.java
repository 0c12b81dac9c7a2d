package io.github.s3lite.internal.replication;

import io.github.s3lite.replication.ReplicaPosition;

/**
 * A position in a replicated WAL stream in litestream v0.3's replica format: generation, WAL index and
 * byte offset.
 *
 * @param generation the 16-hex-digit generation
 * @param index the WAL index within the generation
 * @param offset the byte offset within that WAL file
 */
public record WalPosition(String generation, long index, long offset) implements ReplicaPosition {

	@Override
	public boolean reached(ReplicaPosition other) {
		if (other == null) {
			return true;
		}
		if (!(other instanceof WalPosition wal) || this.generation == null || !this.generation.equals(wal.generation)) {
			return false;
		}
		return this.index > wal.index || (this.index == wal.index && this.offset >= wal.offset);
	}

	@Override
	public String toString() {
		return this.generation + "/" + String.format("%08x", this.index) + ":" + this.offset;
	}

}
