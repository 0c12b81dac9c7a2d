package io.github.s3lite.internal.storage;

import java.io.IOException;
import java.io.OutputStream;

/**
 * Writes the content of an object of unknown length to a stream. The store keeps the object only if
 * {@link #writeTo(OutputStream)} returns normally; an exception leaves no object behind.
 */
@FunctionalInterface
public interface ObjectContent {

	/**
	 * Write the content. Must not close the stream.
	 * @param out the stream to write to
	 * @throws IOException if the content cannot be produced or written
	 */
	void writeTo(OutputStream out) throws IOException;

}
