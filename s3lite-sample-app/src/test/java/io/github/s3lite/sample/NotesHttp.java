package io.github.s3lite.sample;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A client for the notes app running as a separate process on 127.0.0.1.
 */
final class NotesHttp {

	private static final Pattern ID = Pattern.compile("\"id\":(\\d+)");

	private static final Duration TIMEOUT = Duration.ofSeconds(30);

	private final HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(10)).build();

	private final int port;

	NotesHttp(int port) {
		this.port = port;
	}

	static int freePort() {
		try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
			return socket.getLocalPort();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Create a note and return its id once the app acknowledged it.
	 * @param text the text
	 * @return the id
	 */
	long create(String text) {
		HttpResponse<String> response = send(HttpRequest.newBuilder(uri("/api/notes"))
			.timeout(TIMEOUT)
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString("{\"text\":\"" + text + "\"}"))
			.build());
		if (response.statusCode() != 201) {
			throw new IllegalStateException("POST /api/notes answered " + response.statusCode() + ": " + response.body());
		}
		Matcher matcher = ID.matcher(response.body());
		if (!matcher.find()) {
			throw new IllegalStateException("No id in " + response.body());
		}
		return Long.parseLong(matcher.group(1));
	}

	/**
	 * Post a note and return the answer, whatever its status.
	 * @param text the text
	 * @return the response
	 */
	HttpResponse<String> post(String text) {
		return send(HttpRequest.newBuilder(uri("/api/notes"))
			.timeout(TIMEOUT)
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString("{\"text\":\"" + text + "\"}"))
			.build());
	}

	HttpResponse<String> postJson(String path, String json) {
		return send(HttpRequest.newBuilder(uri(path))
			.timeout(TIMEOUT)
			.header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(json))
			.build());
	}

	HttpResponse<String> get(String path) {
		return send(HttpRequest.newBuilder(uri(path)).timeout(TIMEOUT).GET().build());
	}

	HttpResponse<String> get(String path, String header, String value) {
		return send(HttpRequest.newBuilder(uri(path)).timeout(TIMEOUT).header(header, value).GET().build());
	}

	private URI uri(String path) {
		return URI.create("http://127.0.0.1:" + this.port + path);
	}

	private HttpResponse<String> send(HttpRequest request) {
		try {
			return this.client.send(request, HttpResponse.BodyHandlers.ofString());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

}
