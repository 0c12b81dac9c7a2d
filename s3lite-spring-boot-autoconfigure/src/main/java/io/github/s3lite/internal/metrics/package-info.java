/**
 * Micrometer metrics for replication, restore, sync and verification.
 */
package io.github.s3lite.internal.metrics;
