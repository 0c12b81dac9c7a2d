package io.github.s3lite.internal.storage;

import java.io.IOException;
import java.net.SocketTimeoutException;

import org.junit.jupiter.api.Test;

import software.amazon.awssdk.core.exception.SdkClientException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Which failures of a conditional PUT are a refusal answered before the body was written. The failures
 * are built here, in the shape the SDK's url-connection client gives them (seen in the bench's and
 * hand-run starts against S3Proxy: "Unable to execute HTTP request: Error writing request body to
 * server", caused by the JDK's {@code IOException} of that message): whether S3Proxy's answer reaches
 * the client before or after its body is a race of two threads on a loopback socket, so a real server
 * cannot be made to produce it on demand.
 */
class EarlyRefusalTests {

	@Test
	void aBodyTheClientCouldNotWriteBecauseTheServerHadAnsweredIsARefusal() {
		IOException failure = storeFailure(SdkClientException.create(
				"Unable to execute HTTP request: Error writing request body to server (SDK Attempt Count: 5)",
				new IOException("Error writing request body to server")));
		assertThat(EarlyRefusal.causedBy(failure)).isTrue();
	}

	@Test
	void otherTransportFailuresAreNot() {
		assertThat(EarlyRefusal.causedBy(storeFailure(SdkClientException.create("Unable to execute HTTP request: "
				+ "Read timed out", new SocketTimeoutException("Read timed out"))))).isFalse();
		assertThat(EarlyRefusal.causedBy(storeFailure(SdkClientException.create("Unable to execute HTTP request: "
				+ "Connection refused", new java.net.ConnectException("Connection refused"))))).isFalse();
		assertThat(EarlyRefusal.causedBy(new IOException("Error writing request body to server, and more"))).isFalse();
	}

	private static IOException storeFailure(SdkClientException cause) {
		return new IOException("S3 PUT s3://bucket/prefix/lock.json failed: " + cause.getMessage(), cause);
	}

}
