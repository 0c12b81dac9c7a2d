/**
 * The lifecycle of a replicated database: its states and transitions
 * ({@link io.github.s3lite.internal.lifecycle.LifecycleState}) and the one answer to "may this instance
 * write now" ({@link io.github.s3lite.internal.lifecycle.DatabaseLifecycle}). Depends on nothing but
 * the write gate of the connections.
 */
package io.github.s3lite.internal.lifecycle;
