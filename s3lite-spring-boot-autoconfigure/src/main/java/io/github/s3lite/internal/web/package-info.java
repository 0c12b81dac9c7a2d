/**
 * Read-your-writes over HTTP: the {@code S3lite-Position} and {@code S3lite-Stale} headers of a servlet
 * application with the single-writer lease
 * ({@link io.github.s3lite.internal.web.PositionHeaderFilter}).
 */
package io.github.s3lite.internal.web;
