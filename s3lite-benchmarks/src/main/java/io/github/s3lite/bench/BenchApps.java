package io.github.s3lite.bench;

import java.util.LinkedHashMap;
import java.util.Map;

import org.springframework.boot.Banner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;

import io.github.s3lite.bench.app.BenchApplication;
import io.github.s3lite.test.S3ProxyServer;

/**
 * Properties and in-process starts of {@link BenchApplication}.
 */
final class BenchApps {

	static final String BUCKET = "s3lite-bench";

	static final String ITEMS = "CREATE TABLE IF NOT EXISTS items (id INTEGER PRIMARY KEY, name TEXT NOT NULL, "
			+ "payload TEXT NOT NULL)";

	private BenchApps() {
	}

	/**
	 * Properties for an application whose database is restored from and replicated to one S3 prefix.
	 * @param endpoint the S3 endpoint
	 * @param path the local database file
	 * @param prefix the replica prefix, or {@code null} for no replication
	 * @return mutable properties
	 */
	static Map<String, Object> replicated(String endpoint, String path, String prefix) {
		Map<String, Object> properties = new LinkedHashMap<>();
		properties.put("s3lite.path", path);
		properties.put("s3lite.migrations[0]", ITEMS);
		if (prefix != null) {
			String replica = "s3://" + BUCKET + "/" + prefix;
			properties.put("s3lite.restore-from", replica);
			properties.put("s3lite.backup-to", replica);
			properties.put("s3lite.s3.endpoint", endpoint);
			properties.put("s3lite.s3.region", "us-east-1");
			properties.put("s3lite.s3.access-key-id", S3ProxyServer.ACCESS_KEY);
			properties.put("s3lite.s3.secret-access-key", S3ProxyServer.SECRET_KEY);
		}
		return properties;
	}

	/**
	 * Start the application in this JVM with warnings-only logging.
	 * @param properties its properties
	 * @return the running context
	 */
	static ConfigurableApplicationContext start(Map<String, Object> properties) {
		Map<String, Object> all = new LinkedHashMap<>(properties);
		all.putIfAbsent("logging.level.root", "WARN");
		return new SpringApplicationBuilder(BenchApplication.class).web(WebApplicationType.NONE)
			.bannerMode(Banner.Mode.OFF)
			.logStartupInfo(false)
			.properties(all)
			.run();
	}

}
