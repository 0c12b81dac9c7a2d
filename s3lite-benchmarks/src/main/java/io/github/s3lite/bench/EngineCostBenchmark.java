package io.github.s3lite.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;

import io.github.s3lite.bench.app.BenchApplication;
import io.github.s3lite.datasource.ReplicatingDataSource;
import io.github.s3lite.test.S3ProxyServer;

/**
 * What each engine costs while the application is quiet: S3 requests per hour idle and at one write
 * per second (counted by a {@link CountingProxy} in front of S3Proxy, so litestream's own requests
 * count too), and the resident memory of an idle application process plus, for litestream, its child.
 */
final class EngineCostBenchmark {

	private final S3ProxyServer s3;

	private final Path work;

	private final Duration window;

	EngineCostBenchmark(S3ProxyServer s3, Path work, Duration window) {
		this.s3 = s3;
		this.work = work;
		this.window = window;
	}

	/**
	 * One row per engine with the single-writer lease off (the engine's own cost), then one per engine
	 * with the lease on (the default whenever {@code backup-to} is set: its renewals).
	 * @param table the table to fill
	 * @throws Exception on a failure
	 */
	void measure(Table table) throws Exception {
		for (boolean lease : new boolean[] { false, true }) {
			for (String engine : EngineComparisonBenchmark.ENGINES) {
				long[] requests = requestsPerHour(engine, lease);
				double[] rss = idleRss(engine, lease);
				double child = Double.isNaN(rss[1]) ? 0 : rss[1];
				table.row(engine + (lease ? ", lease on (default)" : ", lease off"), Long.toString(requests[0]),
						Long.toString(requests[1]), Table.num(rss[0]), Double.isNaN(rss[1]) ? "n/a" : Table.num(rss[1]),
						Table.num(rss[0] + child));
			}
		}
	}

	private static Map<String, Object> properties(String endpoint, Path database, String engine, boolean lease) {
		String name = database.getFileName().toString().replace(".sqlite3", "");
		Map<String, Object> properties = BenchApps.replicated(endpoint, database.toString(), name);
		properties.put("s3lite.engine", engine);
		properties.put("s3lite.lease.enabled", Boolean.toString(lease));
		return properties;
	}

	private long[] requestsPerHour(String engine, boolean lease) throws Exception {
		try (CountingProxy proxy = new CountingProxy(this.s3.port())) {
			Path database = this.work.resolve("cost")
				.resolve("requests-" + engine + (lease ? "-lease" : "") + ".sqlite3");
			Map<String, Object> properties = properties(proxy.endpoint(), database, engine, lease);
			try (ConfigurableApplicationContext context = BenchApps.start(properties)) {
				JdbcTemplate jdbc = new JdbcTemplate(context.getBean(DataSource.class));
				context.getBean(ReplicatingDataSource.class).sync(Duration.ofSeconds(30));
				Thread.sleep(3000);
				proxy.reset();
				Thread.sleep(this.window.toMillis());
				long idle = proxy.requests();
				proxy.reset();
				long seconds = this.window.toSeconds();
				for (long i = 0; i < seconds; i++) {
					jdbc.update("INSERT INTO items (name, payload) VALUES ('tick', 'x')");
					Thread.sleep(1000);
				}
				long writing = proxy.requests();
				long perHour = 3600 / seconds;
				return new long[] { idle * perHour, writing * perHour };
			}
		}
	}

	/** Peak RSS in MiB of an application process idle for a few seconds after ready, and of its child. */
	private double[] idleRss(String engine, boolean lease) throws Exception {
		Path database = this.work.resolve("cost").resolve("rss-" + engine + (lease ? "-lease" : "") + ".sqlite3");
		Map<String, Object> properties = properties(this.s3.endpoint(), database, engine, lease);
		// a non-web application would exit once ready
		properties.put("spring.main.keep-alive", "true");
		ProcessBuilder builder = new ProcessBuilder(AppProcess.javaCommand()).redirectErrorStream(true);
		builder.environment().put("SPRING_APPLICATION_JSON", AppProcess.json(properties));
		Process process = builder.start();
		// the reader is closed only after the process ended: closing it waits for the drain thread's read
		BufferedReader reader = new BufferedReader(
				new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8));
		try {
			StringBuilder output = new StringBuilder();
			String line;
			while ((line = reader.readLine()) != null && !line.startsWith(BenchApplication.READY)) {
				output.append(line).append('\n');
			}
			if (line == null) {
				throw new IllegalStateException("The application did not get ready:\n" + output);
			}
			Thread drain = new Thread(() -> {
				try {
					reader.transferTo(java.io.Writer.nullWriter());
				}
				catch (java.io.IOException ex) {
					// process gone
				}
			});
			drain.setDaemon(true);
			drain.start();
			Thread.sleep(5000);
			double jvm = ProcessMemory.peakRssMib(process.pid());
			List<ProcessHandle> children = process.toHandle().children().toList();
			double child = children.isEmpty() ? Double.NaN : ProcessMemory.peakRssMib(children.get(0).pid());
			return new double[] { jvm, child };
		}
		finally {
			process.toHandle().destroy();
			if (!process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
				process.destroyForcibly().waitFor();
			}
			reader.close();
		}
	}

}
