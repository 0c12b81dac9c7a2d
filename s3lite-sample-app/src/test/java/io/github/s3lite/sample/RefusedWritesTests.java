package io.github.s3lite.sample;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.web.bind.annotation.ControllerAdvice;

import io.github.s3lite.internal.lease.LeaseRecord;
import io.github.s3lite.web.WriteRefusalExceptionHandler;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The notes service answers a write it refuses with the starter's mapping (it has no advice of its
 * own): started while another instance holds the lease, it serves reads and answers {@code POST} with
 * 503, {@code Retry-After: 1} and a problem body naming the holder. A {@code file:} replica, real HTTP.
 */
class RefusedWritesTests {

	@TempDir
	Path dir;

	@Test
	void aFollowerAnswersAWriteWith503AndTheStartersProblemBodyAndKeepsServingReads() throws Exception {
		Path replica = this.dir.resolve("replica");
		try (ConfigurableApplicationContext writer = start(WebApplicationType.NONE, "writer", "writer.sqlite3")) {
			writer.getBean(NoteRepository.class).create("before the follower");
		}
		LeaseRecord held = new LeaseRecord(7, Instant.now().plus(Duration.ofMinutes(10)), "notes-2");
		Files.write(replica.resolve("lock.json"), held.toJson());
		try (ConfigurableApplicationContext follower = start(WebApplicationType.SERVLET, "notes-1", "follower.sqlite3")) {
			assertThat(follower.getBeansWithAnnotation(ControllerAdvice.class).values())
				.allMatch(WriteRefusalExceptionHandler.class::isInstance);
			HttpResponse<String> refused = send(follower, "POST", "{\"text\":\"refused\"}");
			assertThat(refused.statusCode()).isEqualTo(503);
			assertThat(refused.headers().firstValue("Retry-After")).hasValue("1");
			assertThat(refused.headers().firstValue("Content-Type")).hasValue("application/problem+json");
			assertThat(refused.body()).contains("\"holder\":\"'notes-2' until ", "\"reason\":\"not-writer\"")
				.doesNotContain("trace", "Exception");
			HttpResponse<String> read = send(follower, "GET", null);
			assertThat(read.statusCode()).isEqualTo(200);
			assertThat(read.body()).contains("before the follower").doesNotContain("refused");
		}
	}

	private ConfigurableApplicationContext start(WebApplicationType type, String owner, String file) {
		String replica = "file:" + this.dir.resolve("replica");
		return new SpringApplicationBuilder(NotesApplication.class).web(type)
			.run("--s3lite.path=" + this.dir.resolve(file), "--s3lite.restore-from=" + replica,
					"--s3lite.backup-to=" + replica, "--s3lite.lease.owner=" + owner, "--server.port=0");
	}

	private static HttpResponse<String> send(ConfigurableApplicationContext app, String method, String body)
			throws Exception {
		int port = ((WebServerApplicationContext) app).getWebServer().getPort();
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/api/notes"))
			.timeout(Duration.ofSeconds(60))
			.header("Content-Type", "application/json")
			.method(method, (body != null) ? HttpRequest.BodyPublishers.ofString(body)
					: HttpRequest.BodyPublishers.noBody())
			.build();
		return HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY).build().send(request,
				HttpResponse.BodyHandlers.ofString());
	}

}
