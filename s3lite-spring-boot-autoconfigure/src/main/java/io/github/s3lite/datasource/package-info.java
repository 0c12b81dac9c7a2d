/**
 * The SQLite {@code DataSource} s3lite provides ({@link io.github.s3lite.datasource.ReplicatingDataSource},
 * with the replication status) and what its connections throw when a database was replaced under them.
 * Public API.
 */
package io.github.s3lite.datasource;
