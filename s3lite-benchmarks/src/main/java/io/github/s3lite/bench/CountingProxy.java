package io.github.s3lite.bench;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A loopback HTTP/1.1 forwarder in front of S3Proxy that counts the requests passing through it, from
 * either engine (the litestream child's Go client included): it reads each request head, forwards it
 * and its {@code Content-Length} body, and counts one request per head.
 */
final class CountingProxy implements AutoCloseable {

	private final ServerSocket server;

	private final int target;

	private final AtomicLong requests = new AtomicLong();

	private final AtomicLong leaseRequests = new AtomicLong();

	private volatile boolean open = true;

	CountingProxy(int target) throws IOException {
		this.target = target;
		this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
		Thread acceptor = new Thread(this::accept, "counting-proxy");
		acceptor.setDaemon(true);
		acceptor.start();
	}

	String endpoint() {
		return "http://127.0.0.1:" + this.server.getLocalPort();
	}

	long requests() {
		return this.requests.get();
	}

	/** The requests for the lease's objects ({@code lock.json}, …). */
	long leaseRequests() {
		return this.leaseRequests.get();
	}

	void reset() {
		this.requests.set(0);
		this.leaseRequests.set(0);
	}

	private void accept() {
		while (this.open) {
			try {
				Socket client = this.server.accept();
				Socket upstream = new Socket(InetAddress.getLoopbackAddress(), this.target);
				daemon(() -> requests(client.getInputStream(), upstream.getOutputStream(), client, upstream));
				daemon(() -> pipe(upstream.getInputStream(), client.getOutputStream(), client, upstream));
			}
			catch (IOException ex) {
				// closed
			}
		}
	}

	/** Forward requests one by one, counting their heads. */
	private void requests(InputStream in, OutputStream out, Socket a, Socket b) throws IOException {
		try {
			while (true) {
				byte[] head = readHead(in);
				if (head == null) {
					return;
				}
				this.requests.incrementAndGet();
				String requestLine = new String(head, 0, Math.min(head.length, 2048), StandardCharsets.ISO_8859_1)
					.split("\r\n", 2)[0];
				if (requestLine.contains("/lock")) {
					this.leaseRequests.incrementAndGet();
				}
				out.write(head);
				out.flush();
				long length = contentLength(new String(head, StandardCharsets.ISO_8859_1));
				if (length < 0) {
					in.transferTo(out);
					return;
				}
				byte[] buffer = new byte[64 * 1024];
				for (long left = length; left > 0;) {
					int read = in.read(buffer, 0, (int) Math.min(buffer.length, left));
					if (read < 0) {
						return;
					}
					out.write(buffer, 0, read);
					left -= read;
				}
				out.flush();
			}
		}
		finally {
			a.close();
			b.close();
		}
	}

	private static byte[] readHead(InputStream in) throws IOException {
		ByteArrayOutputStream head = new ByteArrayOutputStream();
		int matched = 0;
		int b;
		while ((b = in.read()) >= 0) {
			head.write(b);
			matched = (b == "\r\n\r\n".charAt(matched)) ? matched + 1 : ((b == '\r') ? 1 : 0);
			if (matched == 4) {
				return head.toByteArray();
			}
		}
		return null;
	}

	/** The body length, 0 without one, -1 when it cannot be framed (then the rest is piped uncounted). */
	private static long contentLength(String head) {
		for (String line : head.split("\r\n")) {
			String lower = line.toLowerCase(Locale.ROOT);
			if (lower.startsWith("content-length:")) {
				return Long.parseLong(line.substring(15).trim());
			}
			if (lower.startsWith("transfer-encoding:") && lower.contains("chunked")) {
				return -1;
			}
		}
		return 0;
	}

	private static void pipe(InputStream in, OutputStream out, Socket a, Socket b) throws IOException {
		try {
			in.transferTo(out);
		}
		finally {
			a.close();
			b.close();
		}
	}

	private static void daemon(IoWork work) {
		Thread thread = new Thread(() -> {
			try {
				work.run();
			}
			catch (IOException ex) {
				// connection closed
			}
		}, "counting-proxy-connection");
		thread.setDaemon(true);
		thread.start();
	}

	@Override
	public void close() throws IOException {
		this.open = false;
		this.server.close();
	}

	@FunctionalInterface
	private interface IoWork {

		void run() throws IOException;

	}

}
