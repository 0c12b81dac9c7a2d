package io.github.s3lite.test;

import java.io.IOException;
import java.io.OutputStream;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * An HTTP proxy on 127.0.0.1 in front of a loopback S3 API whose fault can be switched at any time, one
 * proxy per application instance, so that a test can cut one instance off S3 while the others go on:
 * <ul>
 * <li>{@link Fault#NONE}: forwards every request;</li>
 * <li>{@link Fault#PARTITION}: closes each connection without forwarding or answering (the client sees an
 * I/O error at once);</li>
 * <li>{@link Fault#BLACKHOLE}: holds each request unanswered until the fault changes, then closes it
 * without forwarding (the client waits for its own timeouts);</li>
 * <li>{@link Fault#LOSE_ANSWERS}: forwards each request, so that it takes effect, and loses its answer;</li>
 * <li>{@link Fault#LATE_APPLY}: holds each request for {@link #lateBy(Duration)}, then forwards it even if
 * the client gave up meanwhile, as a store that applies a write after its client stopped waiting.</li>
 * </ul>
 * Every request line is recorded ({@link #requests()}).
 */
public final class FaultProxy extends ForwardingProxy {

	private final List<String> requests = new CopyOnWriteArrayList<>();

	private final Object changes = new Object();

	private volatile Fault fault = Fault.NONE;

	private volatile Duration lateBy = Duration.ofSeconds(2);

	private FaultProxy(int targetPort) {
		super(targetPort, "fault-proxy");
	}

	/**
	 * Start a proxy forwarding to a port on 127.0.0.1, without a fault.
	 * @param targetPort the port of the S3 API
	 * @return the proxy
	 */
	public static FaultProxy forward(int targetPort) {
		return new FaultProxy(targetPort);
	}

	/**
	 * Switch the fault, for requests that arrive from now on and for blackholed ones.
	 * @param fault the fault
	 */
	public void set(Fault fault) {
		synchronized (this.changes) {
			this.fault = fault;
			this.changes.notifyAll();
		}
	}

	/**
	 * Return the current fault.
	 * @return the fault
	 */
	public Fault fault() {
		return this.fault;
	}

	/**
	 * Set how long {@link Fault#LATE_APPLY} holds a request before forwarding it.
	 * @param delay the delay
	 */
	public void lateBy(Duration delay) {
		this.lateBy = delay;
	}

	/**
	 * Return the request lines seen so far, e.g. {@code DELETE /bucket/db/lock.json HTTP/1.1}.
	 * @return the request lines, in order of arrival
	 */
	public List<String> requests() {
		return List.copyOf(this.requests);
	}

	@Override
	void handle(Request request, OutputStream client) throws IOException {
		this.requests.add(request.head().substring(0, request.head().indexOf('\r')));
		switch (this.fault) {
			case NONE -> forward(request, client);
			case PARTITION -> {
				// the connection closes unanswered
			}
			case BLACKHOLE -> holdWhile(Fault.BLACKHOLE);
			case LOSE_ANSWERS -> forward(request, OutputStream.nullOutputStream());
			case LATE_APPLY -> {
				sleep(this.lateBy);
				try {
					forward(request, client);
				}
				catch (IOException ex) {
					// the client gave up; the request took effect all the same
				}
			}
		}
	}

	private void holdWhile(Fault held) {
		synchronized (this.changes) {
			while (this.fault == held) {
				try {
					this.changes.wait(1000);
				}
				catch (InterruptedException ex) {
					Thread.currentThread().interrupt();
					return;
				}
			}
		}
	}

	private static void sleep(Duration delay) {
		try {
			Thread.sleep(delay.toMillis());
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	/**
	 * What the proxy does to requests.
	 */
	public enum Fault {

		/** Forward. */
		NONE,

		/** Close the connection unanswered, at once. */
		PARTITION,

		/** Hold the request unanswered until the fault changes. */
		BLACKHOLE,

		/** Forward, and lose the answer. */
		LOSE_ANSWERS,

		/** Forward after a delay, even if the client gave up. */
		LATE_APPLY

	}

}
