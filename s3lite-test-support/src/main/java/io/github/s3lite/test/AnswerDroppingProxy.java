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
 * An HTTP proxy on 127.0.0.1 in front of a loopback S3 API that loses answers: the first {@code n}
 * conditional requests (carrying {@code If-None-Match} or {@code If-Match}) reach the S3 API and take
 * effect there, but their answers are dropped and the client's connection closed, as when a response
 * is lost on the way back; the client then retries a request that already happened. Every other request
 * is forwarded. One request per connection ({@code Connection: close}); {@code Expect: 100-continue} is
 * answered here; request bodies must have a {@code Content-Length}.
 */
public final class AnswerDroppingProxy implements AutoCloseable {

	private final int targetPort;

	private final ServerSocket server;

	private final AtomicInteger toDrop;

	private final AtomicInteger dropped = new AtomicInteger();

	private volatile boolean closed;

	private AnswerDroppingProxy(int targetPort, int answersToDrop) throws IOException {
		this.targetPort = targetPort;
		this.toDrop = new AtomicInteger(answersToDrop);
		this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
		Thread acceptor = new Thread(this::accept, "dropping-proxy-accept");
		acceptor.setDaemon(true);
		acceptor.start();
	}

	/**
	 * Start a proxy forwarding to a port on 127.0.0.1.
	 * @param targetPort the port of the S3 API
	 * @param answersToDrop how many conditional requests lose their answer
	 * @return the proxy
	 */
	public static AnswerDroppingProxy forward(int targetPort, int answersToDrop) {
		try {
			return new AnswerDroppingProxy(targetPort, answersToDrop);
		}
		catch (IOException ex) {
			throw new IllegalStateException("Could not start the proxy", ex);
		}
	}

	/**
	 * Return the proxy's endpoint, e.g. {@code http://127.0.0.1:41234}.
	 * @return the endpoint
	 */
	public String endpoint() {
		return "http://127.0.0.1:" + this.server.getLocalPort();
	}

	/**
	 * Return how many answers were dropped.
	 * @return the count
	 */
	public int dropped() {
		return this.dropped.get();
	}

	private void accept() {
		while (!this.closed) {
			try {
				Socket client = this.server.accept();
				Thread handler = new Thread(() -> handle(client), "dropping-proxy-request");
				handler.setDaemon(true);
				handler.start();
			}
			catch (IOException ex) {
				// closed
			}
		}
	}

	private void handle(Socket client) {
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
					continue;
				}
				if (!name.equals("connection")) {
					forwarded.append(lines[i]).append("\r\n");
				}
			}
			forwarded.append("Connection: close\r\n\r\n");
			if (expectContinue) {
				out.write("HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
				out.flush();
			}
			byte[] body = in.readNBytes((int) contentLength);
			boolean drop = conditional && this.toDrop.getAndUpdate((left) -> Math.max(0, left - 1)) > 0;
			try (Socket target = new Socket(InetAddress.getLoopbackAddress(), this.targetPort)) {
				target.getOutputStream().write(forwarded.toString().getBytes(StandardCharsets.ISO_8859_1));
				target.getOutputStream().write(body);
				target.getOutputStream().flush();
				if (drop) {
					// the request took effect; its answer is read to the end and lost
					target.getInputStream().transferTo(OutputStream.nullOutputStream());
					this.dropped.incrementAndGet();
					return;
				}
				target.getInputStream().transferTo(out);
				out.flush();
			}
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

}
