package io.github.s3lite.web;

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
import org.springframework.http.MediaType;
import org.springframework.http.ResponseEntity;
import org.springframework.test.web.reactive.server.WebTestClient;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;

import io.github.s3lite.test.S3ProxyServer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A write sent to a real s3lite follower behind a real server (Spring WebFlux on reactive Tomcat,
 * S3Proxy), through {@link WebTestClient}: 503 with {@code Retry-After} and a problem body naming the
 * holder, no stack trace; the application's own advice wins; {@code s3lite.web.enabled=false} leaves
 * Spring Boot's default (500).
 */
class ReactiveWriteRefusalTests {

	private static final String BUCKET = "web-flux";

	@RegisterExtension
	static final S3ProxyServer s3 = S3ProxyServer.withBucket(BUCKET);

	@TempDir
	Path dir;

	@Test
	void aWriteToAFollowerIsAnswered503WithRetryAfterAndAProblemBodyNamingTheHolder() {
		try (ConfigurableApplicationContext app = start(List.of(ReactiveFollowerApp.class))) {
			String body = post(app).expectStatus()
				.isEqualTo(503)
				.expectHeader()
				.valueEquals("Retry-After", "1")
				.expectHeader()
				.contentType(MediaType.APPLICATION_PROBLEM_JSON)
				.expectBody(String.class)
				.returnResult()
				.getResponseBody();
			assertThat(body).contains("\"status\":503", "\"reason\":\"not-writer\"",
					"\"holder\":\"'" + FollowerWebApps.HOLDER + "' until ", "\"instance\":\"/notes\"");
			assertThat(body).doesNotContain("trace", "Exception", "\tat ", "s3://");
		}
	}

	@Test
	void anApplicationsOwnControllerAdviceWins() {
		try (ConfigurableApplicationContext app = start(List.of(ReactiveFollowerApp.class, UserAdvice.class))) {
			post(app).expectStatus()
				.isEqualTo(409)
				.expectBody(String.class)
				.isEqualTo("handled by the application");
		}
	}

	@Test
	void s3liteWebEnabledFalseLeavesSpringBootsDefaultAnswer() {
		try (ConfigurableApplicationContext app = start(List.of(ReactiveFollowerApp.class), "s3lite.web.enabled=false")) {
			post(app).expectStatus().isEqualTo(500).expectHeader().doesNotExist("Retry-After");
		}
	}

	private ConfigurableApplicationContext start(List<Class<?>> sources, String... properties) {
		String prefix = "db-" + UUID.randomUUID();
		FollowerWebApps.holdLease(s3, BUCKET, prefix);
		return FollowerWebApps
			.app(WebApplicationType.REACTIVE, s3, this.dir.resolve(prefix + "/app.db"), "s3://" + BUCKET + "/" + prefix,
					sources, properties)
			.run();
	}

	private static WebTestClient.ResponseSpec post(ConfigurableApplicationContext app) {
		int port = ((WebServerApplicationContext) app).getWebServer().getPort();
		return WebTestClient.bindToServer()
			.baseUrl("http://127.0.0.1:" + port)
			.build()
			.post()
			.uri("/notes")
			.accept(MediaType.APPLICATION_JSON)
			.exchange();
	}

	@RestControllerAdvice
	static class UserAdvice {

		@ExceptionHandler(DataAccessException.class)
		ResponseEntity<String> dataAccess(DataAccessException ex) {
			return ResponseEntity.status(HttpStatus.CONFLICT).body("handled by the application");
		}

	}

}
