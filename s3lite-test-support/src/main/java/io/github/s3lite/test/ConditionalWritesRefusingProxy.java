package io.github.s3lite.test;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An HTTP proxy on 127.0.0.1 in front of a loopback S3 API that plays a provider without conditional
 * writes: a request carrying {@code If-None-Match} or {@code If-Match} is answered
 * {@code 501 NotImplemented} (S3's XML error), every other request is forwarded.
 */
public final class ConditionalWritesRefusingProxy extends ForwardingProxy {

	/** The error message of the 501 answer. */
	public static final String MESSAGE = "A header you provided implies functionality that is not implemented";

	private final AtomicInteger refused = new AtomicInteger();

	private ConditionalWritesRefusingProxy(int targetPort) {
		super(targetPort, "refusing-proxy");
	}

	/**
	 * Start a proxy forwarding to a port on 127.0.0.1.
	 * @param targetPort the port of the S3 API
	 * @return the proxy
	 */
	public static ConditionalWritesRefusingProxy forward(int targetPort) {
		return new ConditionalWritesRefusingProxy(targetPort);
	}

	/**
	 * Return how many conditional requests were refused.
	 * @return the count
	 */
	public int refused() {
		return this.refused.get();
	}

	@Override
	void handle(Request request, OutputStream client) throws IOException {
		if (!request.conditional()) {
			forward(request, client);
			return;
		}
		this.refused.incrementAndGet();
		byte[] error = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>NotImplemented</Code><Message>" + MESSAGE
				+ "</Message></Error>").getBytes(StandardCharsets.UTF_8);
		client.write(("HTTP/1.1 501 Not Implemented\r\nContent-Type: application/xml\r\nContent-Length: " + error.length
				+ "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
		client.write(error);
		client.flush();
	}

}
