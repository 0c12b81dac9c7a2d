/**
 * The {@code s3lite} actuator endpoint: replication status, on-demand sync and verification.
 */
package io.github.s3lite.actuate;
