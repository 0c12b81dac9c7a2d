package io.github.s3lite.test;

import java.io.IOException;
import java.io.OutputStream;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An HTTP proxy on 127.0.0.1 in front of a loopback S3 API that loses answers: the first {@code n}
 * conditional requests (carrying {@code If-None-Match} or {@code If-Match}) reach the S3 API and take
 * effect there, but their answers are dropped and the client's connection closed, as when a response
 * is lost on the way back; the client then retries a request that already happened. Optionally the
 * answers of every read ({@code GET}) after them are lost too, so that the client cannot even look
 * at what its write did, until {@link #answerReadsAgain()}. Every other request is forwarded.
 */
public final class AnswerDroppingProxy extends ForwardingProxy {

	private final AtomicInteger toDrop;

	private final AtomicBoolean droppingReads;

	private final AtomicInteger dropped = new AtomicInteger();

	private AnswerDroppingProxy(int targetPort, int answersToDrop, boolean dropReads) {
		super(targetPort, "dropping-proxy");
		this.toDrop = new AtomicInteger(answersToDrop);
		this.droppingReads = new AtomicBoolean(dropReads);
	}

	/**
	 * Start a proxy forwarding to a port on 127.0.0.1.
	 * @param targetPort the port of the S3 API
	 * @param answersToDrop how many conditional requests lose their answer
	 * @return the proxy
	 */
	public static AnswerDroppingProxy forward(int targetPort, int answersToDrop) {
		return new AnswerDroppingProxy(targetPort, answersToDrop, false);
	}

	/**
	 * Start a proxy that also loses the answers of every read after the lost conditional requests,
	 * until {@link #answerReadsAgain()}.
	 * @param targetPort the port of the S3 API
	 * @param answersToDrop how many conditional requests lose their answer
	 * @return the proxy
	 */
	public static AnswerDroppingProxy forwardLosingReadsToo(int targetPort, int answersToDrop) {
		return new AnswerDroppingProxy(targetPort, answersToDrop, true);
	}

	/** Answer reads again. */
	public void answerReadsAgain() {
		this.droppingReads.set(false);
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
		if (request.head().startsWith("GET ") && this.dropped.get() > 0 && this.toDrop.get() == 0
				&& this.droppingReads.get()) {
			forward(request, OutputStream.nullOutputStream());
			return;
		}
		forward(request, client);
	}

}
