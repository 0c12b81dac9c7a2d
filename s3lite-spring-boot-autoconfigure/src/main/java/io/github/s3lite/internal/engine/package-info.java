/**
 * The replication-engine seam: the one interface through which s3lite's engine-neutral parts restore,
 * check and replicate a database, whichever engine does the work.
 */
package io.github.s3lite.internal.engine;
