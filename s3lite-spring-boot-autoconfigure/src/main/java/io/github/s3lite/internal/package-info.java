/**
 * s3lite's implementation: the lifecycle of the database, the lease, restore, the engines, storage. Not
 * API: every type under {@code io.github.s3lite.internal} may change or go away in any release. The
 * public API is the rest of {@code io.github.s3lite} (auto-configuration, properties,
 * {@code ReplicatingDataSource}, {@code Replication} and its status, the exceptions users catch, the ops
 * endpoint, health and the web mapping of refused writes); {@code PublicApiTests} lists it.
 */
package io.github.s3lite.internal;
