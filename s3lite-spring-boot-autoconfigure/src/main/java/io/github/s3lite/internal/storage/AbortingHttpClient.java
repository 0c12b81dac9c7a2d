package io.github.s3lite.internal.storage;

import java.io.IOException;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

import software.amazon.awssdk.core.exception.AbortedException;
import software.amazon.awssdk.http.ExecutableHttpRequest;
import software.amazon.awssdk.http.HttpExecuteRequest;
import software.amazon.awssdk.http.HttpExecuteResponse;
import software.amazon.awssdk.http.SdkHttpClient;
import software.amazon.awssdk.utils.AttributeMap;

/**
 * An HTTP client whose {@link #close()} aborts the requests in flight and refuses new ones without
 * retry, so that closing the S3 client ends an upload stuck on an unresponsive endpoint at once
 * instead of after the SDK's attempt timeouts.
 */
final class AbortingHttpClient implements SdkHttpClient {

	private final SdkHttpClient delegate;

	private final Set<ExecutableHttpRequest> inFlight = ConcurrentHashMap.newKeySet();

	private volatile boolean closed;

	private AbortingHttpClient(SdkHttpClient delegate) {
		this.delegate = delegate;
	}

	/**
	 * Return a builder for the SDK, which then closes the client with the {@code S3Client}.
	 * @param delegate builds the client that sends the requests
	 * @return the builder
	 */
	static SdkHttpClient.Builder<?> wrapping(SdkHttpClient.Builder<?> delegate) {
		return new Builder(delegate);
	}

	@Override
	public ExecutableHttpRequest prepareRequest(HttpExecuteRequest request) {
		ExecutableHttpRequest prepared = this.delegate.prepareRequest(request);
		return new ExecutableHttpRequest() {

			@Override
			public HttpExecuteResponse call() throws IOException {
				refuseIfClosed();
				AbortingHttpClient.this.inFlight.add(this);
				try {
					if (AbortingHttpClient.this.closed) {
						prepared.abort();
					}
					return prepared.call();
				}
				catch (IOException | RuntimeException ex) {
					refuseIfClosed();
					throw ex;
				}
				finally {
					AbortingHttpClient.this.inFlight.remove(this);
				}
			}

			@Override
			public void abort() {
				prepared.abort();
			}

		};
	}

	private void refuseIfClosed() {
		if (this.closed) {
			throw AbortedException.builder().message("The S3 client was closed").build();
		}
	}

	@Override
	public String clientName() {
		return this.delegate.clientName();
	}

	@Override
	public void close() {
		this.closed = true;
		for (ExecutableHttpRequest request : this.inFlight) {
			request.abort();
		}
		this.delegate.close();
	}

	private record Builder(SdkHttpClient.Builder<?> delegate) implements SdkHttpClient.Builder<Builder> {

		@Override
		public SdkHttpClient buildWithDefaults(AttributeMap serviceDefaults) {
			return new AbortingHttpClient(this.delegate.buildWithDefaults(serviceDefaults));
		}

	}

}
