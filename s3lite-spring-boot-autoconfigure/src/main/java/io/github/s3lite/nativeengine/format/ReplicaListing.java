package io.github.s3lite.nativeengine.format;

import java.util.List;

/**
 * Every generation of a replica, in name order.
 *
 * @param generations the generations
 */
public record ReplicaListing(List<GenerationListing> generations) {

	/**
	 * Return whether the replica holds no snapshot and no WAL segment.
	 * @return {@code true} for an empty replica
	 */
	public boolean isEmpty() {
		return this.generations.stream().allMatch((g) -> g.snapshots().isEmpty() && g.segments().isEmpty());
	}

}
