/**
 * s3lite's configuration properties ({@code s3lite.*}, {@link io.github.s3lite.config.S3liteProperties}) and
 * the enums they take. Public API.
 */
package io.github.s3lite.internal.config;
