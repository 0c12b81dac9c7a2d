/**
 * Changes of role under the single-writer lease, carried out on the pool, the local file and the
 * replication: a follower that took the lease catches up before its first write; a writer that hands
 * the lease over flushes first. Engine-neutral.
 */
package io.github.s3lite.internal.role;
