/**
 * Test support for applications using s3lite: {@link io.github.s3lite.test.context.AutoConfigureS3liteTestDatabase}.
 */
package io.github.s3lite.test.context;
