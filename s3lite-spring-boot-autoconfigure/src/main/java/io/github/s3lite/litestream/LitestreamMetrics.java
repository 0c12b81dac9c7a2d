package io.github.s3lite.litestream;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.Proxy;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

/**
 * The few litestream metrics s3lite reads, scraped from its Prometheus endpoint on 127.0.0.1.
 *
 * @param syncCount {@code litestream_sync_count}: local syncs of the WAL into the shadow WAL
 * @param syncErrorCount {@code litestream_sync_error_count}
 * @param replicaIndex {@code litestream_replica_wal_index}, -1 before the first replica sync
 * @param replicaOffset {@code litestream_replica_wal_offset}, -1 before the first replica sync
 * @param totalWalBytes {@code litestream_total_wal_bytes}
 */
record LitestreamMetrics(long syncCount, long syncErrorCount, long replicaIndex, long replicaOffset,
		long totalWalBytes) {

	/**
	 * Scrape the metrics endpoint of a litestream process.
	 * @param port the loopback port
	 * @return the metrics
	 * @throws IOException if the endpoint cannot be read
	 */
	static LitestreamMetrics scrape(int port) throws IOException {
		HttpURLConnection connection = (HttpURLConnection) URI.create("http://127.0.0.1:" + port + "/metrics")
			.toURL()
			.openConnection(Proxy.NO_PROXY);
		connection.setConnectTimeout(1000);
		connection.setReadTimeout(2000);
		try (InputStream in = connection.getInputStream()) {
			return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8));
		}
		finally {
			connection.disconnect();
		}
	}

	static LitestreamMetrics parse(String text) {
		Map<String, Double> values = new HashMap<>();
		for (String line : text.split("\n")) {
			if (line.isEmpty() || line.startsWith("#")) {
				continue;
			}
			int brace = line.indexOf('{');
			int space = line.lastIndexOf(' ');
			if (space < 0) {
				continue;
			}
			String name = (brace >= 0 && brace < space) ? line.substring(0, brace) : line.substring(0, space);
			try {
				values.merge(name, Double.parseDouble(line.substring(space + 1)), Double::sum);
			}
			catch (NumberFormatException ex) {
				// not a sample line
			}
		}
		return new LitestreamMetrics(value(values, "litestream_sync_count", 0),
				value(values, "litestream_sync_error_count", 0), value(values, "litestream_replica_wal_index", -1),
				value(values, "litestream_replica_wal_offset", -1), value(values, "litestream_total_wal_bytes", 0));
	}

	private static long value(Map<String, Double> values, String name, long missing) {
		Double value = values.get(name);
		return (value != null) ? value.longValue() : missing;
	}

}
