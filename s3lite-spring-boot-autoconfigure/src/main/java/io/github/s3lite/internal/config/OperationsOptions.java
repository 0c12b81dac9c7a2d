package io.github.s3lite.internal.config;

import java.time.Duration;

/**
 * Validated {@code s3lite.health.*} and {@code s3lite.verification.*} settings.
 *
 * @param maxLag how long the replica may stay behind before health turns DOWN, and how old a follower's
 * data may be
 * @param verificationInterval background verification interval, or {@code null} for on demand only
 * @param verificationTimeout how long a whole verification may take (replication and restore)
 */
public record OperationsOptions(Duration maxLag, Duration verificationInterval, Duration verificationTimeout) {

}
