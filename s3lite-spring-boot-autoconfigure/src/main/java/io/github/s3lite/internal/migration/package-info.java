/**
 * Raw SQL migrations from {@code s3lite.migrations}, run on every start after Flyway.
 */
package io.github.s3lite.internal.migration;
