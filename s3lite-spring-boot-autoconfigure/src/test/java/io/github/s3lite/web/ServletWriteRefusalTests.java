package io.github.s3lite.web;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.UUID;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.dao.DataAccessException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

import io.github.s3lite.test.S3ProxyServer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A write sent to a real s3lite follower behind a real Tomcat (Spring MVC, S3Proxy): 503 with
 * {@code Retry-After} and a problem body naming the holder, no stack trace; the application's own
 * advice wins; {@code s3lite.web.enabled=false} leaves Spring Boot's default (500).
 */
class ServletWriteRefusalTests {

	private static final String BUCKET = "web-mvc";

	@RegisterExtension
	static final S3ProxyServer s3 = S3ProxyServer.withBucket(BUCKET);

	@TempDir
	Path dir;

	@Test
	void aWriteToAFollowerIsAnswered503WithRetryAfterAndAProblemBodyNamingTheHolder() throws Exception {
		try (ConfigurableApplicationContext app = start(List.of(ServletFollowerApp.class))) {
			HttpResponse<String> response = post(app, "/notes");
			assertThat(response.statusCode()).isEqualTo(503);
			assertThat(response.headers().firstValue("Retry-After")).hasValue("1");
			assertThat(response.headers().firstValue("Content-Type")).hasValue("application/problem+json");
			assertThat(response.body()).contains("\"status\":503", "\"reason\":\"not-writer\"",
					"\"holder\":\"'" + FollowerWebApps.HOLDER + "' until ", "\"instance\":\"/notes\"");
			assertThat(response.body()).doesNotContain("trace", "Exception", "\tat ", "s3://");
		}
	}

	@Test
	void anApplicationsOwnControllerAdviceWins() throws Exception {
		try (ConfigurableApplicationContext app = start(List.of(ServletFollowerApp.class, UserAdvice.class))) {
			HttpResponse<String> response = post(app, "/notes");
			assertThat(response.statusCode()).isEqualTo(409);
			assertThat(response.body()).isEqualTo("handled by the application");
		}
	}

	@Test
	void s3liteWebEnabledFalseLeavesSpringBootsDefaultAnswer() throws Exception {
		try (ConfigurableApplicationContext app = start(List.of(ServletFollowerApp.class), "s3lite.web.enabled=false")) {
			HttpResponse<String> response = post(app, "/notes");
			assertThat(response.statusCode()).isEqualTo(500);
			assertThat(response.headers().firstValue("Retry-After")).isEmpty();
		}
	}

	private ConfigurableApplicationContext start(List<Class<?>> sources, String... properties) {
		String prefix = "db-" + UUID.randomUUID();
		FollowerWebApps.holdLease(s3, BUCKET, prefix);
		return FollowerWebApps
			.app(WebApplicationType.SERVLET, s3, this.dir.resolve(prefix + "/app.db"), "s3://" + BUCKET + "/" + prefix,
					sources, properties)
			.run();
	}

	private static HttpResponse<String> post(ConfigurableApplicationContext app, String path) throws Exception {
		int port = ((WebServerApplicationContext) app).getWebServer().getPort();
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path))
			.header("Accept", "application/json")
			.POST(HttpRequest.BodyPublishers.noBody())
			.build();
		return HttpClient.newHttpClient().send(request, HttpResponse.BodyHandlers.ofString());
	}

	@RestControllerAdvice
	static class UserAdvice {

		@ExceptionHandler(DataAccessException.class)
		ResponseEntity<String> dataAccess(DataAccessException ex) {
			return ResponseEntity.status(HttpStatus.CONFLICT).body("handled by the application");
		}

	}

}
