package io.github.s3lite.internal.storage;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.SocketTimeoutException;

import org.junit.jupiter.api.Test;

import io.github.s3lite.internal.config.S3Connection;

import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The start-up warm-up of the AWS SDK makes its requests without sending any: no connection is opened.
 */
class S3ClientWarmUpTests {

	@Test
	void theWarmUpOpensNoConnectionToItsEndpoint() throws Exception {
		try (ServerSocket endpoint = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
			S3ClientWarmUp.run(S3Connection.of("http://127.0.0.1:" + endpoint.getLocalPort(), "us-east-1", true,
					"warm-up", "warm-up"));
			// a request that got past the interceptor would have connected (and would still wait for an answer)
			endpoint.setSoTimeout(500);
			assertThatExceptionOfType(SocketTimeoutException.class).isThrownBy(endpoint::accept);
		}
	}

}
