package io.github.s3lite.test;

import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An HTTP proxy on 127.0.0.1 in front of a loopback S3 API that loses answers: the first {@code n}
 * conditional requests (carrying {@code If-None-Match} or {@code If-Match}) reach the S3 API and take
 * effect there, but their answers are dropped and the client's connection closed, as when a response
 * is lost on the way back; the client then retries a request that already happened. Every other request
 * is forwarded.
 */
public final class AnswerDroppingProxy extends ForwardingProxy {

	private final AtomicInteger toDrop;

	private final AtomicInteger dropped = new AtomicInteger();

	private AnswerDroppingProxy(int targetPort, int answersToDrop) {
		super(targetPort, "dropping-proxy");
		this.toDrop = new AtomicInteger(answersToDrop);
	}

	/**
	 * Start a proxy forwarding to a port on 127.0.0.1.
	 * @param targetPort the port of the S3 API
	 * @param answersToDrop how many conditional requests lose their answer
	 * @return the proxy
	 */
	public static AnswerDroppingProxy forward(int targetPort, int answersToDrop) {
		return new AnswerDroppingProxy(targetPort, answersToDrop);
	}

	/**
	 * Return how many answers were dropped.
	 * @return the count
	 */
	public int dropped() {
		return this.dropped.get();
	}

	@Override
	void handle(Request request, OutputStream client) throws IOException {
		if (request.conditional() && this.toDrop.getAndUpdate((left) -> Math.max(0, left - 1)) > 0) {
			// the request takes effect; its answer is read to the end and lost, the connection closed
			forward(request, OutputStream.nullOutputStream());
			this.dropped.incrementAndGet();
			return;
		}
		forward(request, client);
	}

}
