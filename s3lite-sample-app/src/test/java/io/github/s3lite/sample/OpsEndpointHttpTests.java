package io.github.s3lite.sample;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.web.server.context.WebServerGracefulShutdownLifecycle;
import org.springframework.context.ApplicationContext;
import org.springframework.scheduling.concurrent.ThreadPoolTaskExecutor;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import io.github.s3lite.internal.datasource.ReplicationShutdownFlush;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code /actuator/s3lite} over real HTTP on 127.0.0.1 (the notes app, replicating to a local
 * directory): a request s3lite cannot run answers 400, one it ran answers 200. Also checks, against
 * this app's real web server and task executor, that the final flush's phase comes after both.
 */
@SpringBootTest(webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT)
class OpsEndpointHttpTests {

	@TempDir
	static Path dir;

	@LocalServerPort
	int port;

	@Autowired
	ApplicationContext context;

	private final HttpClient http = HttpClient.newBuilder().proxy(HttpClient.Builder.NO_PROXY).build();

	@DynamicPropertySource
	static void s3lite(DynamicPropertyRegistry registry) {
		registry.add("s3lite.path", () -> dir.resolve("notes.sqlite3").toString());
		registry.add("s3lite.restore-from", () -> "file:" + dir.resolve("replica"));
		registry.add("s3lite.backup-to", () -> "file:" + dir.resolve("replica"));
	}

	@Test
	void anUnknownActionIsABadRequest() throws Exception {
		HttpResponse<String> response = post("{\"action\":\"explode\"}");
		assertThat(response.statusCode()).isEqualTo(400);
		assertThat(response.body()).contains("REJECTED").contains("unknown action 'explode'");
	}

	@Test
	void aTimeoutThatIsNotAPositiveDurationOfAtMostTenMinutesIsABadRequest() throws Exception {
		for (String timeout : new String[] { "soon", "0s", "-5s", "11m" }) {
			HttpResponse<String> response = post("{\"action\":\"sync\",\"timeout\":\"" + timeout + "\"}");
			assertThat(response.statusCode()).as(timeout).isEqualTo(400);
			assertThat(response.body()).as(timeout).contains("REJECTED").contains("at most PT10M");
		}
	}

	@Test
	void aSyncThatRanAnswersOk() throws Exception {
		HttpResponse<String> response = post("{\"action\":\"sync\",\"timeout\":\"10m\"}");
		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).contains("\"outcome\":\"SYNCED\"");
	}

	@Test
	void theFinalFlushRunsAfterTheWebServersGracefulShutdownAndTheTaskExecutor() {
		int flush = this.context.getBean(ReplicationShutdownFlush.class).getPhase();
		assertThat(flush).isLessThan(WebServerGracefulShutdownLifecycle.SMART_LIFECYCLE_PHASE)
			.isLessThan(this.context.getBean("webServerGracefulShutdown", WebServerGracefulShutdownLifecycle.class)
				.getPhase())
			.isLessThan(this.context.getBean("applicationTaskExecutor", ThreadPoolTaskExecutor.class).getPhase());
	}

	private HttpResponse<String> post(String body) throws Exception {
		HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + "/actuator/s3lite"))
			.timeout(Duration.ofSeconds(60))
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.build();
		return this.http.send(request, HttpResponse.BodyHandlers.ofString());
	}

}
