/**
 * The single-writer lease on a replica ({@code <replica>/lock.json}), taken and renewed with
 * conditional writes through {@link io.github.s3lite.internal.storage.ReplicaStore}, and the fencing that stops
 * an instance from committing once it may no longer be the writer. Engine-neutral.
 */
package io.github.s3lite.internal.lease;
