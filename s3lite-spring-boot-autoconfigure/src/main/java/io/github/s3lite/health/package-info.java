/**
 * The {@code s3lite} health indicator: is the data safe right now, and how much would be lost.
 */
package io.github.s3lite.health;
