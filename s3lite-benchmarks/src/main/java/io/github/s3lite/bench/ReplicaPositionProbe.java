package io.github.s3lite.bench;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.Proxy;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Reads the replica position (WAL index, offset) that a running litestream reports on its metrics
 * endpoint, found through the {@code -config} file in its command line, as often as needed.
 */
final class ReplicaPositionProbe {

	private final URI metrics;

	ReplicaPositionProbe(long pid) throws IOException {
		List<String> args = List.of(Files.readString(Path.of("/proc/" + pid + "/cmdline")).split("\0"));
		Path config = Path.of(args.get(args.indexOf("-config") + 1));
		String addr = Files.readAllLines(config)
			.stream()
			.filter((line) -> line.startsWith("addr:"))
			.findFirst()
			.orElseThrow()
			.replaceAll("[^0-9.:]", "")
			.replaceFirst("^:", "");
		this.metrics = URI.create("http://" + addr + "/metrics");
	}

	/**
	 * Return the replica position.
	 * @return {index, offset}, or {-1, -1} before the first upload
	 */
	long[] position() throws IOException {
		HttpURLConnection connection = (HttpURLConnection) this.metrics.toURL().openConnection(Proxy.NO_PROXY);
		try (InputStream in = connection.getInputStream()) {
			long index = -1;
			long offset = -1;
			for (String line : new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n")) {
				if (line.startsWith("litestream_replica_wal_index{")) {
					index = (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
				}
				else if (line.startsWith("litestream_replica_wal_offset{")) {
					offset = (long) Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
				}
			}
			return new long[] { index, offset };
		}
		finally {
			connection.disconnect();
		}
	}

	static boolean reached(long[] replica, long[] target) {
		return replica[0] > target[0] || (replica[0] == target[0] && replica[1] >= target[1]);
	}

}
