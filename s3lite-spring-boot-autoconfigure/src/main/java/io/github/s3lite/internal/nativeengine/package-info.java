/**
 * s3lite's native replication engine: restores and writes litestream's replica format inside the
 * JVM, with no child process.
 */
package io.github.s3lite.internal.nativeengine;
