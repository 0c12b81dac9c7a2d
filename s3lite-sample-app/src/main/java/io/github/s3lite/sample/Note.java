package io.github.s3lite.sample;

import java.time.Instant;

/**
 * A note.
 *
 * @param id the id
 * @param text the text
 * @param createdAt when it was created
 */
public record Note(long id, String text, Instant createdAt) {

}
