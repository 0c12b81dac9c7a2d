/**
 * The SQLite {@code DataSource} s3lite provides ({@link io.github.s3lite.datasource.ReplicatingDataSource},
 * with the replication status). Public API.
 */
package io.github.s3lite.datasource;
