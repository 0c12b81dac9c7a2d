/**
 * The start-up of a replicated database on its lifecycle: lock, lease, restore (in line or in the
 * background), catch-up, open and replicate; a lone writer and an instance under the lease differ only
 * in their steps ({@link io.github.s3lite.internal.startup.DatabaseStartup}).
 */
package io.github.s3lite.internal.startup;
