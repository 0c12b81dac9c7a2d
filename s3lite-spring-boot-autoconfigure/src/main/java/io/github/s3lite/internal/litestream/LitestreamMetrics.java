package io.github.s3lite.internal.litestream;

import java.io.IOException;
import java.io.InputStream;
import java.net.HttpURLConnection;
import java.net.Proxy;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * The few litestream metrics s3lite reads, scraped from its Prometheus endpoint on 127.0.0.1. Only
 * samples labelled with this database ({@code db="<path>"}) count, one sample per metric and never a
 * sum across label sets: the port was free when s3lite chose it, but another process could have taken
 * it before litestream bound it, and its metrics must not pass for ours.
 *
 * @param syncCount {@code litestream_sync_count}: local syncs of the WAL into the shadow WAL
 * @param syncErrorCount {@code litestream_sync_error_count}
 * @param replicaIndex {@code litestream_replica_wal_index}, -1 before the first replica sync
 * @param replicaOffset {@code litestream_replica_wal_offset}, -1 before the first replica sync
 */
record LitestreamMetrics(long syncCount, long syncErrorCount, long replicaIndex, long replicaOffset) {

	private static final String SYNC_COUNT = "litestream_sync_count";

	/**
	 * Scrape the metrics endpoint of a litestream process.
	 * @param port the loopback port
	 * @param database the database whose metrics count
	 * @return the metrics, or {@code null} when the endpoint has none for this database
	 * @throws IOException if the endpoint cannot be read
	 */
	static LitestreamMetrics scrape(int port, Path database) throws IOException {
		HttpURLConnection connection = (HttpURLConnection) URI.create("http://127.0.0.1:" + port + "/metrics")
			.toURL()
			.openConnection(Proxy.NO_PROXY);
		connection.setConnectTimeout(1000);
		connection.setReadTimeout(2000);
		try (InputStream in = connection.getInputStream()) {
			return parse(new String(in.readAllBytes(), StandardCharsets.UTF_8), database);
		}
		finally {
			connection.disconnect();
		}
	}

	/**
	 * Read the metrics of one database from Prometheus text.
	 * @param text the scraped text
	 * @param database the database whose samples count
	 * @return the metrics, or {@code null} when the text has no sync count for this database
	 */
	static LitestreamMetrics parse(String text, Path database) {
		Map<String, Double> values = new HashMap<>();
		for (String line : text.split("\n")) {
			if (line.isEmpty() || line.startsWith("#")) {
				continue;
			}
			int brace = line.indexOf('{');
			int close = line.lastIndexOf('}');
			int space = line.lastIndexOf(' ');
			if (brace < 0 || close < brace || space < close) {
				continue;
			}
			if (!database.toString().equals(PrometheusLabels.parse(line.substring(brace + 1, close)).get("db"))) {
				continue;
			}
			try {
				values.putIfAbsent(line.substring(0, brace), Double.parseDouble(line.substring(space + 1).strip()));
			}
			catch (NumberFormatException ex) {
				// not a sample line
			}
		}
		if (!values.containsKey(SYNC_COUNT)) {
			return null;
		}
		return new LitestreamMetrics(value(values, SYNC_COUNT, 0), value(values, "litestream_sync_error_count", 0),
				value(values, "litestream_replica_wal_index", -1), value(values, "litestream_replica_wal_offset", -1));
	}

	private static long value(Map<String, Double> values, String name, long missing) {
		Double value = values.get(name);
		return (value != null) ? value.longValue() : missing;
	}

}
