package io.github.s3lite.sample;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.core.env.Environment;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.github.s3lite.test.IndependentRestore;
import io.github.s3lite.test.S3ProxyServer;

import static org.awaitility.Awaitility.await;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The notes service over real HTTP, replicating to a real S3 API (S3Proxy on 127.0.0.1) with the
 * real litestream binary.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class NotesApplicationTests {

	private static final String BUCKET = "notes-tests";

	private static final S3ProxyServer s3 = S3ProxyServer.start();

	@TempDir
	static Path dir;

	@LocalServerPort
	int port;

	@Autowired
	Environment environment;

	private final HttpClient http = HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY).build();

	private final ObjectMapper json = new ObjectMapper();

	@DynamicPropertySource
	static void s3lite(DynamicPropertyRegistry registry) {
		s3.createBucket(BUCKET);
		registry.add("s3lite.path", () -> dir.resolve("notes.sqlite3").toString());
		registry.add("s3lite.restore-from", () -> "s3://" + BUCKET + "/notes");
		registry.add("s3lite.backup-to", () -> "s3://" + BUCKET + "/notes");
		registry.add("s3lite.s3.endpoint", s3::endpoint);
		registry.add("s3lite.s3.access-key-id", () -> S3ProxyServer.ACCESS_KEY);
		registry.add("s3lite.s3.secret-access-key", () -> S3ProxyServer.SECRET_KEY);
	}

	@AfterAll
	static void stopS3() {
		s3.close();
	}

	private HttpResponse<String> send(String method, String path, String body) throws Exception {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path))
			.timeout(Duration.ofSeconds(60))
			.header("Content-Type", "application/json")
			.method(method, (body != null) ? HttpRequest.BodyPublishers.ofString(body)
					: HttpRequest.BodyPublishers.noBody());
		return this.http.send(request.build(), HttpResponse.BodyHandlers.ofString());
	}

	private JsonNode parse(HttpResponse<String> response) {
		return this.json.readTree(response.body());
	}

	@Test
	void createsListsGetsAndDeletesNotes() throws Exception {
		HttpResponse<String> created = send("POST", "/api/notes", "{\"text\":\"buy milk\"}");
		assertThat(created.statusCode()).isEqualTo(201);
		JsonNode note = parse(created);
		long id = note.get("id").asLong();
		assertThat(note.get("text").asText()).isEqualTo("buy milk");
		assertThat(note.get("createdAt").asText()).isNotBlank();
		assertThat(created.headers().firstValue("Location")).hasValue("/api/notes/" + id);
		send("POST", "/api/notes", "{\"text\":\"second\"}");
		JsonNode all = parse(send("GET", "/api/notes", null));
		assertThat(all.isArray()).isTrue();
		assertThat(all.size()).isGreaterThanOrEqualTo(2);
		for (int i = 1; i < all.size(); i++) {
			assertThat(all.get(i).get("id").asLong()).isGreaterThan(all.get(i - 1).get("id").asLong());
		}
		assertThat(parse(send("GET", "/api/notes/" + id, null)).get("text").asText()).isEqualTo("buy milk");
		assertThat(send("DELETE", "/api/notes/" + id, null).statusCode()).isEqualTo(204);
		assertThat(send("GET", "/api/notes/" + id, null).statusCode()).isEqualTo(404);
		assertThat(send("DELETE", "/api/notes/" + id, null).statusCode()).isEqualTo(404);
	}

	@Test
	void rejectsANoteWithoutText() throws Exception {
		assertThat(send("POST", "/api/notes", "{}").statusCode()).isEqualTo(400);
		assertThat(send("POST", "/api/notes", "not json").statusCode()).isEqualTo(400);
	}

	@Test
	void healthShowsTheS3liteComponentWithReplicationDetails() throws Exception {
		send("POST", "/api/notes", "{\"text\":\"health\"}");
		JsonNode sync = parse(send("POST", "/actuator/s3lite", "{\"action\":\"sync\",\"timeout\":\"20s\"}"));
		assertThat(sync.get("outcome").asText()).isEqualTo("SYNCED");
		await("the health details to show the replica in sync").atMost(Duration.ofSeconds(10))
			.until(() -> parse(send("GET", "/actuator/health", null)).get("components")
				.get("s3lite")
				.get("details")
				.get("inSync")
				.asBoolean());
		HttpResponse<String> response = send("GET", "/actuator/health", null);
		assertThat(response.statusCode()).isEqualTo(200);
		JsonNode s3lite = parse(response).get("components").get("s3lite");
		assertThat(s3lite.get("status").asText()).isEqualTo("UP");
		JsonNode details = s3lite.get("details");
		assertThat(details.get("replica").asText()).isEqualTo("s3://" + BUCKET + "/notes");
		assertThat(details.get("replicating").asBoolean()).isTrue();
		assertThat(details.get("lagBytes").asLong()).isZero();
		assertThat(details.get("localPosition").asText()).isEqualTo(details.get("replicaPosition").asText());
		assertThat(response.body()).doesNotContain(S3ProxyServer.SECRET_KEY);
	}

	@Test
	void theOpsEndpointVerifiesTheReplicaAndMetricsAreExposed() throws Exception {
		send("POST", "/api/notes", "{\"text\":\"verify me\"}");
		JsonNode verify = parse(send("POST", "/actuator/s3lite", "{\"action\":\"verify\"}"));
		assertThat(verify.get("outcome").asText()).as(verify.toString()).isEqualTo("VERIFIED");
		JsonNode status = parse(send("GET", "/actuator/s3lite", null));
		assertThat(status.get("verification").get("outcome").asText()).isEqualTo("VERIFIED");
		JsonNode metric = parse(send("GET", "/actuator/metrics/s3lite.verification.status", null));
		assertThat(metric.get("measurements").get(0).get("value").asDouble()).isEqualTo(1.0);
		assertThat(send("GET", "/actuator/metrics/s3lite.replication.lag", null).statusCode()).isEqualTo(200);
		assertThat(send("GET", "/actuator/metrics/s3lite.sync", null).statusCode()).isEqualTo(200);
	}

	@Test
	void aSyncedNoteIsInAFreshRestoreOfTheReplica() throws Exception {
		long id = parse(send("POST", "/api/notes", "{\"text\":\"durable\"}")).get("id").asLong();
		send("POST", "/actuator/s3lite", "{\"timeout\":\"20s\"}");
		Path restored = IndependentRestore.fromS3(s3, BUCKET, "notes", dir.resolve("restored-" + System.nanoTime()));
		assertThat(IndependentRestore.queryLong(restored, "SELECT count(*) FROM notes WHERE id = " + id)).isEqualTo(1);
	}

	@Test
	void theDefaultConfigurationNeedsNoCloudAccount() throws Exception {
		try (var yaml = getClass().getResourceAsStream("/application.yml")) {
			assertThat(yaml).isNotNull();
			String text = new String(yaml.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
			assertThat(text).contains("path: ./data/notes.sqlite3", "restore-from: file:./data/replica",
					"backup-to: file:./data/replica");
		}
		assertThat(this.environment.getProperty("management.endpoint.health.show-details")).isEqualTo("always");
	}

}
