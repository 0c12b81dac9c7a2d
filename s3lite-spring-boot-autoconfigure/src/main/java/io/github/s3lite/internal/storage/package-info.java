/**
 * Engine-neutral object storage for one replica location ({@code s3://} or {@code file:}): listing,
 * streaming reads and writes, batch deletes and the conditional writes a lease needs.
 */
package io.github.s3lite.internal.storage;
