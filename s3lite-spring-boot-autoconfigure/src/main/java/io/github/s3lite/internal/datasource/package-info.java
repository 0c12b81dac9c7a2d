/**
 * The SQLite {@code DataSource}: HikariCP over sqlite-jdbc with s3lite's per-connection pragmas, the
 * replication API on top, and the ordered graceful shutdown.
 */
package io.github.s3lite.internal.datasource;
