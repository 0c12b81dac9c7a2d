package io.github.s3lite.internal.litestream;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Path;
import java.time.Clock;

import io.github.s3lite.internal.config.LitestreamOptions;
import io.github.s3lite.internal.config.ReplicaUrl;
import io.github.s3lite.internal.config.S3Connection;

/**
 * Starts one {@code litestream replicate} process: picks a free loopback port for its metrics, writes
 * its owner-only configuration and wires its output to {@link LitestreamEvents}.
 */
final class LitestreamLauncher {

	private final Path database;

	private final ReplicaUrl replica;

	private final S3Connection s3;

	private final LitestreamOptions options;

	private final LitestreamBinary binary;

	private final Path configFile;

	private final LitestreamEvents events;

	private final LitestreamOutputLog outputLog;

	private volatile int metricsPort;

	LitestreamLauncher(Path database, ReplicaUrl replica, S3Connection s3, LitestreamOptions options,
			LitestreamBinary binary, Path configFile, LitestreamEvents events) {
		this.database = database;
		this.replica = replica;
		this.s3 = s3;
		this.options = options;
		this.binary = binary;
		this.configFile = configFile;
		this.events = events;
		this.outputLog = new LitestreamOutputLog(database, replica, Clock.systemUTC());
	}

	/**
	 * Start a process.
	 * @return the running process
	 */
	LitestreamProcess launch() {
		int port = freeLoopbackPort();
		LitestreamConfigFile.writeReplicate(this.configFile, this.database, this.replica, this.s3, this.options, port);
		this.events.processStarted();
		LitestreamProcess process = LitestreamProcess.start(this.binary.path(), this.configFile, this.s3,
				(event) -> {
					this.outputLog.accept(event);
					this.events.accept(event);
				});
		this.metricsPort = port;
		return process;
	}

	/**
	 * Return the metrics port of the latest process.
	 * @return the port
	 */
	int metricsPort() {
		return this.metricsPort;
	}

	private static int freeLoopbackPort() {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			socket.setReuseAddress(true);
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new LitestreamException("Could not find a free port on 127.0.0.1 for litestream's metrics", ex);
		}
	}

}
