package io.github.s3lite.test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP proxy on 127.0.0.1 in front of another loopback server that holds every connection until it is
 * {@linkplain #open() opened}: connections are accepted (and counted) at once, but nothing is forwarded
 * before the gate opens. A test uses it to hold a client (a restore, say) in mid-flight, deterministically,
 * while it checks what else happens meanwhile.
 */
public final class GatedProxy implements AutoCloseable {

	private final int targetPort;

	private final ServerSocket server;

	private final List<Socket> sockets = new CopyOnWriteArrayList<>();

	private final CountDownLatch gate = new CountDownLatch(1);

	private final AtomicInteger connections = new AtomicInteger();

	private volatile boolean closed;

	private GatedProxy(int targetPort) throws IOException {
		this.targetPort = targetPort;
		this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
		Thread acceptor = new Thread(this::accept, "gated-proxy-accept");
		acceptor.setDaemon(true);
		acceptor.start();
	}

	/**
	 * Start a closed proxy forwarding to a port on 127.0.0.1.
	 * @param targetPort the port to forward to
	 * @return the proxy
	 */
	public static GatedProxy forward(int targetPort) {
		try {
			return new GatedProxy(targetPort);
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
	 * Return how many connections clients opened so far.
	 * @return the number of connections
	 */
	public int connections() {
		return this.connections.get();
	}

	/**
	 * Open the gate: held connections and new ones are forwarded from now on.
	 */
	public void open() {
		this.gate.countDown();
	}

	private void accept() {
		while (!this.closed) {
			try {
				Socket client = this.server.accept();
				this.sockets.add(client);
				this.connections.incrementAndGet();
				Thread holder = new Thread(() -> forwardWhenOpen(client), "gated-proxy-hold");
				holder.setDaemon(true);
				holder.start();
			}
			catch (IOException ex) {
				// closed
			}
		}
	}

	private void forwardWhenOpen(Socket client) {
		try {
			this.gate.await();
			if (this.closed) {
				return;
			}
			Socket target = new Socket(InetAddress.getLoopbackAddress(), this.targetPort);
			this.sockets.add(target);
			pump(client, target);
			pump(target, client);
		}
		catch (IOException | InterruptedException ex) {
			closeQuietly(client);
		}
	}

	private static void pump(Socket from, Socket to) {
		Thread thread = new Thread(() -> {
			byte[] buffer = new byte[16384];
			try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
				int read;
				while ((read = in.read(buffer)) != -1) {
					out.write(buffer, 0, read);
					out.flush();
				}
			}
			catch (IOException ex) {
				// one side went away
			}
			finally {
				closeQuietly(from);
				closeQuietly(to);
			}
		}, "gated-proxy-pump");
		thread.setDaemon(true);
		thread.start();
	}

	private static void closeQuietly(Socket socket) {
		try {
			socket.close();
		}
		catch (IOException ex) {
			// ignore
		}
	}

	@Override
	public void close() {
		this.closed = true;
		this.gate.countDown();
		this.sockets.forEach(GatedProxy::closeQuietly);
		try {
			this.server.close();
		}
		catch (IOException ex) {
			// ignore
		}
	}

}
