package io.github.s3lite.sample;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import com.example.notes.ReadmeApplication;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.ObjectMapper;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;

import io.github.s3lite.test.S3ProxyServer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every Java snippet in README.md compiles and runs: each {@code ```java} block must appear verbatim
 * (ignoring trailing whitespace) in a source file of this repository, which the build compiles (the
 * README's test snippets live in {@code com.example.notes} and run as tests of this module). A
 * snippet edited in the README alone, or a source edited without its README copy, fails the build.
 * The quick start's dependencies are those of this app (which adds only Flyway, switched off here),
 * and with them its YAML builds an app whose {@code /actuator/health} shows the {@code s3lite}
 * component.
 */
class ReadmeSnippetsTests {

	private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

	private static final Pattern DEPENDENCY = Pattern.compile("<dependency>(.*?)</dependency>", Pattern.DOTALL);

	@TempDir
	Path dir;

	@Test
	void everyJavaSnippetOfTheReadmeIsPartOfACompiledSourceFileAndNamesItsImports() throws IOException {
		List<String> snippets = javaSnippets(Files.readString(ROOT.resolve("README.md")));
		List<String> sources = sources();
		assertThat(snippets).hasSizeGreaterThanOrEqualTo(4);
		assertThat(snippets).allSatisfy((snippet) -> {
			assertThat(snippet).as("snippet names its imports").startsWith("import ");
			assertThat(sources).as("a source file containing the README snippet%n%s", snippet)
				.anyMatch((source) -> source.contains(snippet));
		});
	}

	@Test
	void theQuickStartsDependenciesAndConfigurationBuildAnAppWhoseHealthShowsTheS3liteComponent() throws Exception {
		String quickStart = section(Files.readString(ROOT.resolve("README.md")), "## Quick start");
		Set<String> dependencies = dependencies(String.join("\n", blocks(quickStart, "xml")));
		assertThat(dependencies).contains("io.github.s3lite:s3lite-spring-boot-starter",
				"org.springframework.boot:spring-boot-starter-actuator");
		Set<String> declared = dependencies(Files.readString(ROOT.resolve("s3lite-sample-app/pom.xml")));
		assertThat(declared).as("the sample app declares the quick start's dependencies").containsAll(dependencies);
		declared.removeAll(dependencies);
		assertThat(declared).as("and only Flyway besides")
			.containsExactly("org.springframework.boot:spring-boot-starter-flyway");
		List<String> yaml = blocks(quickStart, "yaml");
		assertThat(yaml).hasSize(1);
		Path config = Files.writeString(this.dir.resolve("application.yml"), yaml.get(0));
		try (S3ProxyServer s3 = S3ProxyServer.start();
				ConfigurableApplicationContext app = quickStartApp(config, s3)) {
			int port = ((WebServerApplicationContext) app).getWebServer().getPort();
			HttpResponse<String> response = HttpClient.newBuilder()
				.proxy(HttpClient.Builder.NO_PROXY)
				.build()
				.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + "/actuator/health"))
					.timeout(Duration.ofSeconds(30))
					.build(), HttpResponse.BodyHandlers.ofString());
			assertThat(response.statusCode()).isEqualTo(200);
			JsonNode s3lite = new ObjectMapper().readTree(response.body()).path("components").path("s3lite");
			assertThat(s3lite.path("status").asString()).isEqualTo("UP");
			assertThat(s3lite.path("details").path("writable").asBoolean()).isTrue();
			assertThat(s3lite.path("details").path("replica").asString()).isEqualTo("s3://readme/db");
		}
	}

	private ConfigurableApplicationContext quickStartApp(Path config, S3ProxyServer s3) {
		s3.createBucket("readme");
		return new SpringApplicationBuilder(ReadmeApplication.class).web(WebApplicationType.SERVLET)
			.run("--spring.config.location=file:" + config, "--spring.flyway.enabled=false",
					"--server.address=127.0.0.1", "--server.port=0", "--s3lite.path=" + this.dir.resolve("app.sqlite3"),
					"--s3lite.restore-from=s3://readme/db", "--s3lite.backup-to=s3://readme/db",
					"--s3lite.s3.endpoint=" + s3.endpoint(), "--s3lite.s3.access-key-id=" + S3ProxyServer.ACCESS_KEY,
					"--s3lite.s3.secret-access-key=" + S3ProxyServer.SECRET_KEY);
	}

	private static String section(String markdown, String heading) {
		int start = markdown.indexOf("\n" + heading + "\n");
		assertThat(start).as(heading).isNotNegative();
		int end = markdown.indexOf("\n## ", start + heading.length() + 1);
		return markdown.substring(start, (end >= 0) ? end : markdown.length());
	}

	private static List<String> blocks(String markdown, String language) {
		List<String> blocks = new ArrayList<>();
		StringBuilder current = null;
		for (String line : markdown.lines().toList()) {
			if (current == null && line.strip().equals("```" + language)) {
				current = new StringBuilder();
			}
			else if (current != null && line.strip().equals("```")) {
				blocks.add(current.toString());
				current = null;
			}
			else if (current != null) {
				current.append(line).append('\n');
			}
		}
		return blocks;
	}

	/**
	 * Return the {@code groupId:artifactId} of every dependency that is not test-scoped.
	 */
	private static Set<String> dependencies(String xml) {
		Set<String> dependencies = new TreeSet<>();
		Matcher dependency = DEPENDENCY.matcher(xml);
		while (dependency.find()) {
			String body = dependency.group(1);
			if (!body.contains("<scope>test</scope>")) {
				dependencies.add(element(body, "groupId") + ":" + element(body, "artifactId"));
			}
		}
		return dependencies;
	}

	private static String element(String xml, String name) {
		Matcher matcher = Pattern.compile("<" + name + ">([^<]+)</" + name + ">").matcher(xml);
		assertThat(matcher.find()).as(name + " in " + xml).isTrue();
		return matcher.group(1).strip();
	}

	static List<String> javaSnippets(String markdown) {
		List<String> snippets = new ArrayList<>();
		StringBuilder current = null;
		for (String line : markdown.lines().toList()) {
			if (current == null && line.strip().equals("```java")) {
				current = new StringBuilder();
			}
			else if (current != null && line.strip().equals("```")) {
				snippets.add(normalize(current.toString()));
				current = null;
			}
			else if (current != null) {
				current.append(line).append('\n');
			}
		}
		assertThat(current).as("unterminated ```java block").isNull();
		return snippets;
	}

	private static List<String> sources() throws IOException {
		try (Stream<Path> files = Files.walk(ROOT)) {
			return files.filter((file) -> file.toString().endsWith(".java"))
				.filter((file) -> file.toString().contains("/src/"))
				.filter((file) -> !file.toString().contains("/target/"))
				.map(ReadmeSnippetsTests::read)
				.toList();
		}
	}

	private static String read(Path file) {
		try {
			return normalize(Files.readString(file));
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static String normalize(String text) {
		return text.lines().map(String::stripTrailing).collect(Collectors.joining("\n")).strip();
	}

}
