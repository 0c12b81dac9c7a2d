/**
 * End-to-end verification of the replica: a sentinel row written, replicated, and found again in a
 * fresh restore.
 */
package io.github.s3lite.internal.verification;
