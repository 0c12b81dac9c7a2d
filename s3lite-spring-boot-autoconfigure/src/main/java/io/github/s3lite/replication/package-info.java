/**
 * The replication API s3lite offers applications, independent of the litestream version behind it.
 */
package io.github.s3lite.replication;
