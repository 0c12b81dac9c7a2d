package io.github.s3lite.internal.lifecycle;

import java.time.Instant;

/**
 * One change of {@link LifecycleState}, as the ops endpoint lists them.
 *
 * @param from the state left
 * @param to the state entered
 * @param at when
 * @param reason why, in words
 */
public record LifecycleTransition(LifecycleState from, LifecycleState to, Instant at, String reason) {

}
