package io.github.s3lite.reliability;

import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.jdbc.core.JdbcTemplate;

import io.github.s3lite.test.BlackholeProxy;
import io.github.s3lite.test.S3ProxyServer;
import io.github.s3lite.internal.verification.ReplicaVerifier;
import io.github.s3lite.internal.verification.VerificationResult;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A verification against an endpoint that accepts connections and never answers ends within
 * {@code s3lite.verification.timeout}, as a whole, and says so.
 */
class VerificationTimeoutTests {

	private static final String BUCKET = "verification-timeout";

	@RegisterExtension
	static final S3ProxyServer s3 = S3ProxyServer.withBucket(BUCKET);

	@TempDir
	Path dir;

	@Test
	void aVerificationAgainstABlackholedReplicaEndsNamingTheVerificationTimeout() {
		try (BlackholeProxy proxy = BlackholeProxy.forward(s3.port())) {
			ReplicatedApp.runner(this.dir.resolve("app.sqlite3"), "s3://" + BUCKET + "/db", proxy.endpoint())
				.withPropertyValues("s3lite.verification.timeout=3s", "s3lite.shutdown-sync-timeout=1s",
						"s3lite.litestream.shutdown-timeout=1s")
				.run((context) -> {
					context.getBean(JdbcTemplate.class).update("INSERT INTO items (id, name) VALUES (1, 'row')");
					proxy.blackhole();
					VerificationResult result = context.getBean(ReplicaVerifier.class).verify();
					assertThat(result.outcome()).isIn(VerificationResult.Outcome.LAGGING,
							VerificationResult.Outcome.FAILED);
					assertThat(result.detail()).contains("s3lite.verification.timeout (PT3S)");
				});
		}
	}

}
