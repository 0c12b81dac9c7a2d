package io.github.s3lite.internal.storage;

import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * The ETag of a file-store object: its quoted SHA-256, so that equal content has an equal ETag.
 */
final class ContentEtag {

	private ContentEtag() {
	}

	static String of(byte[] content) {
		try {
			return "\"" + HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(content)) + "\"";
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is not available", ex);
		}
	}

}
