package io.github.s3lite.test;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/**
 * Reads the head (request line and headers) of an HTTP/1.1 message, for the test proxies.
 */
final class HttpHeads {

	private HttpHeads() {
	}

	/**
	 * Read up to and including the blank line that ends the head.
	 * @param in the connection
	 * @return the head without its final blank line, or {@code null} when the connection ended first
	 * @throws IOException on a read error
	 */
	static String read(InputStream in) throws IOException {
		ByteArrayOutputStream head = new ByteArrayOutputStream();
		int matched = 0;
		int b;
		while ((b = in.read()) != -1) {
			head.write(b);
			matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : ((b == '\r') ? 1 : 0);
			if (matched == 4) {
				String text = head.toString(StandardCharsets.ISO_8859_1);
				return text.substring(0, text.length() - 4);
			}
		}
		return null;
	}

}
