package io.github.s3lite.web;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.boot.Banner;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import io.github.s3lite.datasource.ReplicatingDataSource;
import io.github.s3lite.internal.lease.LeaseRole;
import io.github.s3lite.internal.replication.ReplicaPositions;
import io.github.s3lite.internal.replication.WalPosition;
import io.github.s3lite.replication.ReplicaPosition;
import io.github.s3lite.test.S3ProxyServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Read-your-writes over HTTP (issue 23), each engine, with a real writer and a real follower on Tomcat
 * (127.0.0.1) sharing a replica on S3Proxy: a write on the writer (a 201 with a JSON body, an empty 204)
 * answers with {@code S3lite-Position}; a read on the follower carrying it waits and sees the write,
 * while the follower never refreshes on its own ({@code refresh-interval=0}); a position that never
 * comes, or one that is not a position, is answered at the timeout with {@code S3lite-Stale: true}.
 */
class ReadYourWritesWebTests {

	private static final String BUCKET = "read-your-writes-web";

	private static final String POSITION = "S3lite-Position";

	private static final String STALE = "S3lite-Stale";

	private static final Duration GUARD = Duration.ofSeconds(60);

	@RegisterExtension
	static final S3ProxyServer s3 = S3ProxyServer.withBucket(BUCKET);

	@TempDir
	Path dir;

	@ParameterizedTest
	@ValueSource(strings = { "litestream", "native" })
	void aReadOnAFollowerWithTheWritersPositionSeesTheWriteAndOneThatNeverComesIsMarkedStale(String engine)
			throws Exception {
		String prefix = "db-" + UUID.randomUUID();
		try (ConfigurableApplicationContext first = start(engine, prefix, "first")) {
			try (ConfigurableApplicationContext second = start(engine, prefix, "second")) {
				// a rolling deploy: the second asks for the lease, and the first, demoted, follows for good
				await().atMost(GUARD)
					.until(() -> role(second).isWriter() && "follower".equals(role(first).status().role()));
				ConfigurableApplicationContext writer = second;
				ConfigurableApplicationContext follower = first;
				// the new writer's replication has a position once it started or continued its generation
				await().atMost(GUARD).until(() -> writer.getBean(ReplicatingDataSource.class).currentPosition() != null);

				HttpResponse<String> created = send(writer, "POST", "/items", "{\"id\":1,\"name\":\"one\"}", null);
				assertThat(created.statusCode()).isEqualTo(201);
				assertThat(created.body()).contains("\"name\":\"one\"");
				String written = header(created, POSITION);

				HttpResponse<String> read = send(follower, "GET", "/items/1", null, written);
				assertThat(read.statusCode()).as("the follower waited for " + written).isEqualTo(200);
				assertThat(read.body()).contains("\"name\":\"one\"");
				assertThat(read.headers().firstValue(STALE)).isEmpty();
				assertThat(position(header(read, POSITION)).reached(position(written))).isTrue();
				assertThat(header(send(follower, "GET", "/items/1", null, null), POSITION))
					.as("every follower response carries its position")
					.isEqualTo(header(read, POSITION));

				HttpResponse<String> deleted = send(writer, "DELETE", "/items/1", null, null);
				assertThat(deleted.statusCode()).isEqualTo(204);
				String afterDelete = header(deleted, POSITION);
				assertThat(position(written).reached(position(afterDelete))).as(written + " is before the delete")
					.isFalse();
				assertThat(send(follower, "GET", "/items/1", null, afterDelete).statusCode()).isEqualTo(404);
				assertThat(send(writer, "GET", "/items/1", null, null).headers().firstValue(POSITION))
					.as("a read on the writer")
					.isEmpty();

				WalPosition now = (WalPosition) position(afterDelete);
				String never = new WalPosition(now.generation(), now.index() + 1000, 0).toString();
				for (String wanted : List.of(never, "not-a-position")) {
					HttpResponse<String> stale = send(follower, "GET", "/items/1", null, wanted);
					assertThat(stale.statusCode()).isEqualTo(404);
					assertThat(stale.headers().firstValue(STALE)).as(wanted).hasValue("true");
					assertThat(position(header(stale, POSITION)).reached(position(afterDelete))).isTrue();
				}
				assertThat(writer.getBean(ReplicatingDataSource.class)
					.awaitPosition(ReplicaPositions.parse(never), Duration.ofMinutes(1))).as("on the writer, at once")
					.isTrue();
			}
		}
	}

	private ConfigurableApplicationContext start(String engine, String prefix, String owner) {
		List<String> properties = new ArrayList<>(List.of(s3.s3liteProperties(this.dir.resolve(owner + "/app.db"),
				"s3://" + BUCKET + "/" + prefix)));
		properties.addAll(List.of("s3lite.engine=" + engine, "s3lite.lease.owner=" + owner, "s3lite.lease.ttl=12s",
				"s3lite.follower.refresh-interval=0", "s3lite.follower.read-your-writes-timeout=3s",
				"s3lite.native-engine.sync-interval=200ms", "s3lite.litestream.sync-interval=200ms",
				"s3lite.litestream.monitor-interval=200ms", ItemsWebApp.TABLE, "server.address=127.0.0.1",
				"server.port=0"));
		return new SpringApplicationBuilder(ItemsWebApp.class).web(WebApplicationType.SERVLET)
			.bannerMode(Banner.Mode.OFF)
			.properties(properties.toArray(String[]::new))
			.run();
	}

	private static HttpResponse<String> send(ConfigurableApplicationContext app, String method, String path,
			String json, String position) throws Exception {
		int port = ((WebServerApplicationContext) app).getWebServer().getPort();
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
			.header("Accept", "application/json")
			.timeout(GUARD)
			.method(method, (json != null) ? HttpRequest.BodyPublishers.ofString(json)
					: HttpRequest.BodyPublishers.noBody());
		if (json != null) {
			request.header("Content-Type", "application/json");
		}
		if (position != null) {
			request.header(POSITION, position);
		}
		return HttpClient.newHttpClient().send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	private static String header(HttpResponse<String> response, String name) {
		return response.headers()
			.firstValue(name)
			.orElseThrow(() -> new AssertionError("no " + name + " header in " + response + ": " + response.headers()));
	}

	private static ReplicaPosition position(String text) {
		return ReplicaPositions.parse(text);
	}

	private static LeaseRole role(ConfigurableApplicationContext context) {
		return context.getBean(LeaseRole.class);
	}

}
