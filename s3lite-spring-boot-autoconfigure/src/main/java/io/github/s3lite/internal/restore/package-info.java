/**
 * Restoring the local database from its replica before any {@code DataSource} exists, and checking
 * at startup that the backup replica is reachable.
 */
package io.github.s3lite.internal.restore;
