package io.github.s3lite.autoconfigure.diagnostics;

import java.util.Locale;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

import io.github.s3lite.internal.config.InvalidS3liteConfigException;

/**
 * Reports an {@code s3lite.*} property (or {@code spring.datasource.url}/{@code spring.flyway.url})
 * that s3lite cannot use: the property, its value (never for secrets) and the fix.
 */
class InvalidS3liteConfigFailureAnalyzer extends AbstractFailureAnalyzer<InvalidS3liteConfigException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, InvalidS3liteConfigException cause) {
		String action = cause.getAction();
		String message = cause.getMessage();
		String problem = message.endsWith(" " + action) ? message.substring(0, message.length() - action.length() - 1)
				: message;
		StringBuilder description = new StringBuilder();
		description.append(String.format("s3lite cannot use the property '%s'.%n%n", cause.getProperty()));
		if (cause.getValue() != null && !isSecret(cause.getProperty())) {
			description.append(String.format("    Value: %s%n", cause.getValue()));
		}
		description.append(String.format("    Reason: %s", problem));
		return new FailureAnalysis(description.toString(), action, cause);
	}

	private static boolean isSecret(String property) {
		String name = property.toLowerCase(Locale.ROOT);
		return name.contains("secret") || name.contains("password");
	}

}
