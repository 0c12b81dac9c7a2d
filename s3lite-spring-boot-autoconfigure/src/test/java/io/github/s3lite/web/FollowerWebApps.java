package io.github.s3lite.web;

import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import org.springframework.boot.Banner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;

import io.github.s3lite.internal.lease.LeaseRecord;
import io.github.s3lite.test.S3ProxyServer;

/**
 * Real s3lite followers behind a real web server: a live lease held by {@value #HOLDER} is written to
 * the replica first, so the application starts as a follower and refuses every write with
 * {@code NotWriterException}, as an instance does while another one holds the lease.
 */
final class FollowerWebApps {

	static final String HOLDER = "web-2";

	static final String WRITE = "CREATE TABLE IF NOT EXISTS notes (id INTEGER PRIMARY KEY, text TEXT)";

	private FollowerWebApps() {
	}

	/**
	 * Write a lease held by {@value #HOLDER} for ten more minutes.
	 * @param s3 the server
	 * @param bucket the bucket
	 * @param prefix the replica's prefix
	 */
	static void holdLease(S3ProxyServer s3, String bucket, String prefix) {
		LeaseRecord held = new LeaseRecord(4, Instant.now().plus(Duration.ofMinutes(10)), HOLDER);
		s3.putObject(bucket, prefix + "/lock.json", held.toJson());
	}

	/**
	 * Return an application on 127.0.0.1, a free port, following the lease.
	 * @param type servlet or reactive
	 * @param s3 the server
	 * @param database the local database
	 * @param replica the replica URL
	 * @param sources the configuration classes
	 * @param properties further properties
	 * @return the builder
	 */
	static SpringApplicationBuilder app(WebApplicationType type, S3ProxyServer s3, Path database, String replica,
			List<Class<?>> sources, String... properties) {
		List<String> all = new ArrayList<>(List.of(s3.s3liteProperties(database, replica)));
		all.addAll(List.of("s3lite.lease.owner=web-1", "server.address=127.0.0.1", "server.port=0"));
		all.addAll(List.of(properties));
		return new SpringApplicationBuilder(sources.toArray(Class<?>[]::new)).web(type)
			.bannerMode(Banner.Mode.OFF)
			.properties(all.toArray(String[]::new));
	}

}
