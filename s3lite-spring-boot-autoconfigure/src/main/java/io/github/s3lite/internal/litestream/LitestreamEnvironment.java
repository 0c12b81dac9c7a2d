package io.github.s3lite.internal.litestream;

import java.util.LinkedHashMap;
import java.util.Map;

import io.github.s3lite.internal.config.S3Connection;

/**
 * The environment variables that hand credentials to a litestream child. Static credentials
 * override any AWS variables the JVM inherited (litestream prefers {@code AWS_*} over
 * {@code LITESTREAM_*}); without them the child keeps the inherited AWS default chain.
 */
final class LitestreamEnvironment {

	private LitestreamEnvironment() {
	}

	static Map<String, String> of(S3Connection s3) {
		Map<String, String> environment = new LinkedHashMap<>();
		if (s3.hasStaticCredentials()) {
			environment.put("LITESTREAM_ACCESS_KEY_ID", s3.accessKeyId());
			environment.put("LITESTREAM_SECRET_ACCESS_KEY", s3.secretAccessKey());
			environment.put("AWS_ACCESS_KEY_ID", s3.accessKeyId());
			environment.put("AWS_SECRET_ACCESS_KEY", s3.secretAccessKey());
		}
		return environment;
	}

	static void apply(Map<String, String> target, S3Connection s3) {
		if (s3.hasStaticCredentials()) {
			target.remove("AWS_SESSION_TOKEN");
			target.remove("AWS_SECURITY_TOKEN");
			target.remove("AWS_PROFILE");
		}
		target.putAll(of(s3));
	}

	static SecretMask mask(S3Connection s3) {
		return SecretMask.of(s3.secretAccessKey());
	}

}
