package io.github.s3lite.internal.litestream;

import java.util.List;
import java.util.Objects;

/**
 * Replaces secrets in text relayed from litestream with {@code ******}, a last line of defence:
 * litestream is never given a secret on its command line or in its config file.
 */
public final class SecretMask {

	/** A mask with nothing to hide. */
	public static final SecretMask NONE = new SecretMask(List.of());

	private final List<String> secrets;

	private SecretMask(List<String> secrets) {
		this.secrets = secrets;
	}

	/**
	 * Create a mask for the given secrets; {@code null} and short values are ignored.
	 * @param secrets the secrets
	 * @return the mask
	 */
	public static SecretMask of(String... secrets) {
		return new SecretMask(java.util.Arrays.stream(secrets)
			.filter(Objects::nonNull)
			.filter((secret) -> secret.length() >= 4)
			.toList());
	}

	/**
	 * Mask every secret in the text.
	 * @param text the text
	 * @return the text with secrets replaced
	 */
	public String apply(String text) {
		String result = text;
		for (String secret : this.secrets) {
			result = result.replace(secret, "******");
		}
		return result;
	}

}
