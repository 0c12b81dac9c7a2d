/**
 * The replication API s3lite offers applications, independent of the engine behind it.
 */
package io.github.s3lite.replication;
