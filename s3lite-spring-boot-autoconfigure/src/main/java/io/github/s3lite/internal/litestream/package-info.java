/**
 * The litestream v0.3.x child process: binary resolution, generated configuration, supervision,
 * output relay, metrics, and the {@link io.github.s3lite.replication.Replication} built on them.
 */
package io.github.s3lite.internal.litestream;
