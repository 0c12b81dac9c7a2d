package io.github.s3lite.nativeengine.format;

import java.util.List;

/**
 * What to download and apply to restore a replica: one snapshot, then each WAL index from the
 * snapshot's on, in order.
 *
 * @param generation the generation restored from
 * @param snapshot the snapshot to start from
 * @param walIndexes the WAL indexes to apply, in order; empty for a snapshot-only restore
 */
public record RestorePlan(String generation, SnapshotInfo snapshot, List<WalIndexPlan> walIndexes) {

	/**
	 * Return the last WAL index the restore reaches.
	 * @return the highest index applied, or the snapshot's index for a snapshot-only restore
	 */
	public long targetIndex() {
		return this.walIndexes.isEmpty() ? this.snapshot.index() : this.walIndexes.get(this.walIndexes.size() - 1).index();
	}

}
