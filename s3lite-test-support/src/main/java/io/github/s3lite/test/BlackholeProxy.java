package io.github.s3lite.test;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A TCP proxy on 127.0.0.1 in front of another loopback server that can turn into a black hole: after
 * {@link #blackhole()} it still accepts connections but never answers, and it stops forwarding on the
 * connections it already has, without closing them. This is what a dead network path or a hung
 * server looks like to a client: no error, no answer.
 */
public final class BlackholeProxy implements AutoCloseable {

	private final int targetPort;

	private final ServerSocket server;

	private final List<Socket> sockets = new CopyOnWriteArrayList<>();

	private final Object gate = new Object();

	private volatile boolean blackhole;

	private volatile boolean closed;

	private BlackholeProxy(int targetPort) throws IOException {
		this.targetPort = targetPort;
		this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
		Thread acceptor = new Thread(this::accept, "blackhole-proxy-accept");
		acceptor.setDaemon(true);
		acceptor.start();
	}

	/**
	 * Start a proxy forwarding to a port on 127.0.0.1.
	 * @param targetPort the port to forward to
	 * @return the proxy
	 */
	public static BlackholeProxy forward(int targetPort) {
		try {
			return new BlackholeProxy(targetPort);
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
	 * Stop answering: new connections are accepted and ignored, open ones stop forwarding.
	 */
	public void blackhole() {
		this.blackhole = true;
	}

	private void accept() {
		while (!this.closed) {
			try {
				Socket client = this.server.accept();
				this.sockets.add(client);
				if (this.blackhole) {
					continue;
				}
				Socket target = new Socket(InetAddress.getLoopbackAddress(), this.targetPort);
				this.sockets.add(target);
				pump(client, target);
				pump(target, client);
			}
			catch (IOException ex) {
				// closed, or the target refused: the client sees its connection close
			}
		}
	}

	private void pump(Socket from, Socket to) {
		Thread thread = new Thread(() -> {
			byte[] buffer = new byte[16384];
			try (InputStream in = from.getInputStream(); OutputStream out = to.getOutputStream()) {
				int read;
				while ((read = in.read(buffer)) != -1) {
					holdWhileBlackholed();
					out.write(buffer, 0, read);
					out.flush();
				}
			}
			catch (IOException | InterruptedException ex) {
				// one side went away
			}
			finally {
				if (!this.blackhole) {
					closeQuietly(from);
					closeQuietly(to);
				}
			}
		}, "blackhole-proxy-pump");
		thread.setDaemon(true);
		thread.start();
	}

	private void holdWhileBlackholed() throws InterruptedException {
		synchronized (this.gate) {
			while (this.blackhole && !this.closed) {
				this.gate.wait(1000);
			}
		}
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
		synchronized (this.gate) {
			this.gate.notifyAll();
		}
		this.sockets.forEach(BlackholeProxy::closeQuietly);
		try {
			this.server.close();
		}
		catch (IOException ex) {
			// ignore
		}
	}

}
