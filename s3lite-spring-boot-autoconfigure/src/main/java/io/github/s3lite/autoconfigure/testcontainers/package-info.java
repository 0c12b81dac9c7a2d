/**
 * Testcontainers support: a {@code @ServiceConnection} MinIO container points s3lite at it.
 */
package io.github.s3lite.autoconfigure.testcontainers;
