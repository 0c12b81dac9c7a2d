package io.github.s3lite.internal.nativeengine.format;

import java.util.List;
import java.util.Set;

/**
 * Every generation of a replica, in name order.
 *
 * @param generations the generations
 * @param superseded the generations a later writer marked as superseded (it started a new generation
 * without proving where they end), which a restore skips while another generation holds a snapshot
 */
public record ReplicaListing(List<GenerationListing> generations, Set<String> superseded) {

	/**
	 * A listing without superseded generations.
	 * @param generations the generations
	 */
	public ReplicaListing(List<GenerationListing> generations) {
		this(generations, Set.of());
	}

	/**
	 * Return whether the replica holds no snapshot and no WAL segment.
	 * @return {@code true} for an empty replica
	 */
	public boolean isEmpty() {
		return this.generations.stream().allMatch((g) -> g.snapshots().isEmpty() && g.segments().isEmpty());
	}

}
