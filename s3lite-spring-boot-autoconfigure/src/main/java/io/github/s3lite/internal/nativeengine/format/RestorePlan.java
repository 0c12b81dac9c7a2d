package io.github.s3lite.internal.nativeengine.format;

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

	/**
	 * Return where the restored database ends in the replica: the key of the last object applied (the
	 * last WAL segment, or the snapshot for a snapshot-only restore). Two plans of one replica end at the
	 * same key only if that generation holds nothing newer for either of them.
	 * @return the key, relative to the replica
	 */
	public String endKey() {
		if (this.walIndexes.isEmpty()) {
			return this.snapshot.key();
		}
		List<WalSegmentInfo> last = this.walIndexes.get(this.walIndexes.size() - 1).segments();
		return last.isEmpty() ? this.snapshot.key() : last.get(last.size() - 1).key();
	}

}
