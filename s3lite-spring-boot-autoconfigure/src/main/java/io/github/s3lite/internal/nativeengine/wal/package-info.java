/**
 * Reading SQLite write-ahead log files: header, frames, checksum chain and the committed prefix.
 */
package io.github.s3lite.internal.nativeengine.wal;
