/**
 * Spring Boot auto-configuration for s3lite.
 */
package io.github.s3lite.autoconfigure;
