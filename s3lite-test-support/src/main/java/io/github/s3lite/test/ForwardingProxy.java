package io.github.s3lite.test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * An HTTP proxy on 127.0.0.1 in front of a loopback S3 API, for tests that need the API to misbehave
 * in one precise way: each request is read whole (head and body), then {@linkplain #handle handled} by
 * the subclass, which forwards it or answers it itself. One request per connection
 * ({@code Connection: close}); {@code Expect: 100-continue} is answered by the proxy; request bodies
 * must have a {@code Content-Length}.
 */
abstract class ForwardingProxy implements AutoCloseable {

	private final int targetPort;

	private final ServerSocket server;

	private final AtomicInteger expectingContinue = new AtomicInteger();

	private volatile boolean closed;

	ForwardingProxy(int targetPort, String name) {
		this.targetPort = targetPort;
		try {
			this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
		}
		catch (IOException ex) {
			throw new IllegalStateException("Could not start the proxy", ex);
		}
		Thread acceptor = new Thread(() -> accept(name), name + "-accept");
		acceptor.setDaemon(true);
		acceptor.start();
	}

	/**
	 * Return the proxy's endpoint, e.g. {@code http://127.0.0.1:41234}.
	 * @return the endpoint
	 */
	public String endpoint() {
		return "http://127.0.0.1:" + this.server.getLocalPort();
	}

	/**
	 * Return how many requests carried {@code Expect: 100-continue}.
	 * @return the count
	 */
	public int requestsExpectingContinue() {
		return this.expectingContinue.get();
	}

	/**
	 * Handle one request: {@linkplain #forward forward} it, or answer it on {@code client}.
	 * @param request the request
	 * @param client where its answer goes
	 * @throws IOException on a connection error
	 */
	abstract void handle(Request request, OutputStream client) throws IOException;

	/**
	 * Send a request to the S3 API and copy its whole answer to {@code answer}.
	 * @param request the request
	 * @param answer where the answer goes ({@link OutputStream#nullOutputStream()} to lose it)
	 * @throws IOException on a connection error
	 */
	final void forward(Request request, OutputStream answer) throws IOException {
		try (Socket target = new Socket(InetAddress.getLoopbackAddress(), this.targetPort)) {
			target.getOutputStream().write(request.head().getBytes(StandardCharsets.ISO_8859_1));
			target.getOutputStream().write(request.body());
			target.getOutputStream().flush();
			target.getInputStream().transferTo(answer);
			answer.flush();
		}
	}

	private void accept(String name) {
		while (!this.closed) {
			try {
				Socket client = this.server.accept();
				Thread handler = new Thread(() -> serve(client), name + "-request");
				handler.setDaemon(true);
				handler.start();
			}
			catch (IOException ex) {
				// closed
			}
		}
	}

	private void serve(Socket client) {
		try (client) {
			InputStream in = client.getInputStream();
			OutputStream out = client.getOutputStream();
			String head = HttpHeads.read(in);
			if (head == null) {
				return;
			}
			StringBuilder forwarded = new StringBuilder();
			long contentLength = 0;
			boolean conditional = false;
			boolean expectContinue = false;
			String[] lines = head.split("\r\n");
			forwarded.append(lines[0]).append("\r\n");
			for (int i = 1; i < lines.length; i++) {
				String name = lines[i].substring(0, Math.max(0, lines[i].indexOf(':'))).trim().toLowerCase(Locale.ROOT);
				String value = lines[i].substring(lines[i].indexOf(':') + 1).trim();
				conditional |= name.equals("if-none-match") || name.equals("if-match");
				if (name.equals("content-length")) {
					contentLength = Long.parseLong(value);
				}
				if (name.equals("expect")) {
					expectContinue = value.equalsIgnoreCase("100-continue");
				}
				else if (!name.equals("connection")) {
					forwarded.append(lines[i]).append("\r\n");
				}
			}
			forwarded.append("Connection: close\r\n\r\n");
			if (expectContinue) {
				this.expectingContinue.incrementAndGet();
				out.write("HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
				out.flush();
			}
			handle(new Request(forwarded.toString(), in.readNBytes((int) contentLength), conditional), out);
		}
		catch (IOException | RuntimeException ex) {
			// the client sees its connection close
		}
	}

	@Override
	public void close() {
		this.closed = true;
		try {
			this.server.close();
		}
		catch (IOException ex) {
			// ignore
		}
	}

	/**
	 * A request as it will be forwarded.
	 *
	 * @param head the request line and headers, with {@code Connection: close}, ending in a blank line
	 * @param body the body
	 * @param conditional whether it carries {@code If-None-Match} or {@code If-Match}
	 */
	record Request(String head, byte[] body, boolean conditional) {

	}

}
