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
 * An HTTP proxy on 127.0.0.1 in front of a loopback S3 API that plays a provider without conditional
 * writes: a request carrying {@code If-None-Match} or {@code If-Match} is answered
 * {@code 501 NotImplemented} (S3's XML error), every other request is forwarded. One request per
 * connection ({@code Connection: close}); request bodies must have a {@code Content-Length}.
 */
public final class ConditionalWritesRefusingProxy implements AutoCloseable {

	/** The error message of the 501 answer. */
	public static final String MESSAGE = "A header you provided implies functionality that is not implemented";

	private final int targetPort;

	private final ServerSocket server;

	private final AtomicInteger refused = new AtomicInteger();

	private volatile boolean closed;

	private ConditionalWritesRefusingProxy(int targetPort) throws IOException {
		this.targetPort = targetPort;
		this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
		Thread acceptor = new Thread(this::accept, "refusing-proxy-accept");
		acceptor.setDaemon(true);
		acceptor.start();
	}

	/**
	 * Start a proxy forwarding to a port on 127.0.0.1.
	 * @param targetPort the port of the S3 API
	 * @return the proxy
	 */
	public static ConditionalWritesRefusingProxy forward(int targetPort) {
		try {
			return new ConditionalWritesRefusingProxy(targetPort);
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
	 * Return how many conditional requests were refused.
	 * @return the count
	 */
	public int refused() {
		return this.refused.get();
	}

	private void accept() {
		while (!this.closed) {
			try {
				Socket client = this.server.accept();
				Thread handler = new Thread(() -> handle(client), "refusing-proxy-request");
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
			String head = HttpHeads.read(in);
			if (head == null) {
				return;
			}
			StringBuilder forwarded = new StringBuilder();
			long contentLength = 0;
			boolean conditional = false;
			String[] lines = head.split("\r\n");
			forwarded.append(lines[0]).append("\r\n");
			for (int i = 1; i < lines.length; i++) {
				String name = lines[i].substring(0, Math.max(0, lines[i].indexOf(':'))).trim().toLowerCase(Locale.ROOT);
				if (name.equals("if-none-match") || name.equals("if-match")) {
					conditional = true;
				}
				if (name.equals("content-length")) {
					contentLength = Long.parseLong(lines[i].substring(lines[i].indexOf(':') + 1).trim());
				}
				if (!name.equals("connection")) {
					forwarded.append(lines[i]).append("\r\n");
				}
			}
			forwarded.append("Connection: close\r\n\r\n");
			byte[] body = in.readNBytes((int) contentLength);
			OutputStream out = client.getOutputStream();
			if (conditional) {
				this.refused.incrementAndGet();
				byte[] error = ("<?xml version=\"1.0\" encoding=\"UTF-8\"?><Error><Code>NotImplemented</Code><Message>"
						+ MESSAGE + "</Message></Error>").getBytes(StandardCharsets.UTF_8);
				out.write(("HTTP/1.1 501 Not Implemented\r\nContent-Type: application/xml\r\nContent-Length: "
						+ error.length + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
				out.write(error);
				out.flush();
				return;
			}
			try (Socket target = new Socket(InetAddress.getLoopbackAddress(), this.targetPort)) {
				target.getOutputStream().write(forwarded.toString().getBytes(StandardCharsets.ISO_8859_1));
				target.getOutputStream().write(body);
				target.getOutputStream().flush();
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
