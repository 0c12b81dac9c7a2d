/**
 * Docker Compose support: a MinIO service started by {@code spring-boot-docker-compose} points
 * s3lite at it.
 */
package io.github.s3lite.autoconfigure.dockercompose;
