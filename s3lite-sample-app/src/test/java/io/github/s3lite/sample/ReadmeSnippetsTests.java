package io.github.s3lite.sample;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.URLDecoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import com.example.notes.ReadmeApplication;
import org.assertj.core.api.SoftAssertions;
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
 * The documentation (README.md and the pages under {@code docs/}) stays true to the code and to
 * itself. Every Java snippet compiles and runs: each {@code ```java} block must appear verbatim
 * (ignoring trailing whitespace) in a source file of this repository, which the build compiles (the
 * test snippets live in {@code com.example.notes} and run as tests of this module). A snippet edited
 * in a page alone, or a source edited without its copy in the page, fails the build. The quick
 * start's dependencies are those of this app (which adds only Flyway, switched off here), and with
 * them its YAML builds an app whose {@code /actuator/health} shows the {@code s3lite} component.
 * Every relative link of the documentation, INVARIANTS.md and BENCHMARKS.md leads to an existing file
 * and, with an {@code #anchor}, to an existing heading of it; the README stays short and links every
 * page of {@code docs/}.
 */
class ReadmeSnippetsTests {

	private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

	private static final Pattern DEPENDENCY = Pattern.compile("<dependency>(.*?)</dependency>", Pattern.DOTALL);

	private static final int README_MAX_LINES = 300;

	/** An inline link or image, {@code [text](target)} or {@code [text](target "title")}. */
	private static final Pattern INLINE_LINK = Pattern.compile("\\[([^\\]]*)\\]\\(\\s*<?([^)\\s>]*)>?(?:\\s+\"[^\"]*\")?\\s*\\)");

	/** A link reference definition, {@code [label]: target}. */
	private static final Pattern REFERENCE_LINK = Pattern.compile("(?m)^ {0,3}\\[[^\\]]+\\]:\\s*<?([^\\s>]+)>?");

	private static final Pattern INLINE_CODE = Pattern.compile("`[^`]*`");

	private static final Pattern HEADING = Pattern.compile("^ {0,3}#{1,6}\\s+(.*?)(?:\\s+#+)?\\s*$");

	/** What GitHub drops from a heading to make its anchor: all but letters, marks, digits, '_', '-' and spaces. */
	private static final Pattern ANCHOR_PUNCTUATION = Pattern.compile("[^\\p{L}\\p{M}\\p{N}\\p{Pc}\\- ]");

	private static final Pattern SCHEME = Pattern.compile("^[a-zA-Z][a-zA-Z0-9+.-]*:");

	@TempDir
	Path dir;

	@Test
	void everyJavaSnippetOfTheReadmeAndTheDocsIsPartOfACompiledSourceFileAndNamesItsImports() throws IOException {
		List<String> sources = sources();
		Map<Path, List<String>> snippets = new LinkedHashMap<>();
		for (Path page : documentation()) {
			snippets.put(page, javaSnippets(Files.readString(page)));
		}
		assertThat(snippets.get(ROOT.resolve("README.md"))).as("Java snippets of README.md").isNotEmpty();
		assertThat(snippets.values().stream().mapToInt(List::size).sum()).as("Java snippets of the documentation")
			.isGreaterThanOrEqualTo(4);
		snippets.forEach((page, pageSnippets) -> assertThat(pageSnippets).allSatisfy((snippet) -> {
			assertThat(snippet).as("snippet of %s names its imports", ROOT.relativize(page)).startsWith("import ");
			assertThat(sources.stream().anyMatch((source) -> source.contains(snippet)))
				.as("a source file containing the snippet of %s%n%s", ROOT.relativize(page), snippet)
				.isTrue();
		}));
	}

	@Test
	void everyRelativeLinkOfTheDocumentationPointsToAnExistingFileAndHeading() throws IOException {
		List<Path> pages = new ArrayList<>(documentation());
		pages.add(ROOT.resolve("INVARIANTS.md"));
		pages.add(ROOT.resolve("BENCHMARKS.md"));
		List<String> broken = new ArrayList<>();
		int checked = 0;
		for (Path page : pages) {
			for (String link : relativeLinks(Files.readString(page))) {
				checked++;
				String problem = problem(page, link);
				if (problem != null) {
					broken.add(ROOT.relativize(page) + ": (" + link + ") " + problem);
				}
			}
		}
		assertThat(checked).as("relative links checked").isGreaterThanOrEqualTo(pages.size());
		assertThat(broken).as("broken relative links").isEmpty();
	}

	@Test
	void theReadmeHasAtMostThreeHundredLinesAndLinksEveryPageOfTheDocs() throws IOException {
		Path readme = ROOT.resolve("README.md");
		Set<Path> linked = new TreeSet<>();
		for (String link : relativeLinks(Files.readString(readme))) {
			linked.add(target(readme, link));
		}
		List<Path> pages = docsPages();
		List<String> unlinked = pages.stream()
			.filter((page) -> !linked.contains(page))
			.map((page) -> ROOT.relativize(page).toString())
			.toList();
		int lines = Files.readAllLines(readme).size();
		SoftAssertions.assertSoftly((softly) -> {
			softly.assertThat(lines).as("lines of README.md").isLessThanOrEqualTo(README_MAX_LINES);
			softly.assertThat(pages).as("pages of docs/").isNotEmpty();
			softly.assertThat(unlinked).as("pages of docs/ that README.md does not link to").isEmpty();
		});
	}

	@Test
	void headingsGetTheAnchorsGitHubGivesThem() {
		assertThat(anchor("Single writer lease")).isEqualTo("single-writer-lease");
		assertThat(anchor("S3-compatible providers")).isEqualTo("s3-compatible-providers");
		assertThat(anchor("The `s3lite.web.enabled` switch (503 answers)"))
			.isEqualTo("the-s3litewebenabled-switch-503-answers");
		assertThat(anchor("`_s3lite_heartbeat` rows")).isEqualTo("_s3lite_heartbeat-rows");
		assertThat(anchor("[Costs](docs/costs.md): what *it* costs")).isEqualTo("costs-what-it-costs");
		assertThat(anchors("# Flyway\n\n## Flyway\n```\n# not a heading\n```\n")).containsExactly("flyway", "flyway-1");
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

	/**
	 * Return README.md and every page of {@code docs/}.
	 */
	private static List<Path> documentation() throws IOException {
		List<Path> pages = new ArrayList<>();
		pages.add(ROOT.resolve("README.md"));
		pages.addAll(docsPages());
		return pages;
	}

	private static List<Path> docsPages() throws IOException {
		try (Stream<Path> files = Files.list(ROOT.resolve("docs"))) {
			return files.filter((file) -> file.getFileName().toString().endsWith(".md")).sorted().toList();
		}
	}

	/**
	 * Return the target of every link of the markdown that is neither absolute (a scheme such as
	 * {@code https:}) nor inside code.
	 */
	static List<String> relativeLinks(String markdown) {
		String text = INLINE_CODE.matcher(withoutCodeBlocks(markdown)).replaceAll("``");
		List<String> links = new ArrayList<>();
		for (Pattern pattern : List.of(INLINE_LINK, REFERENCE_LINK)) {
			Matcher link = pattern.matcher(text);
			while (link.find()) {
				String target = link.group(link.groupCount());
				if (!target.isEmpty() && !SCHEME.matcher(target).find()) {
					links.add(target);
				}
			}
		}
		return links;
	}

	/**
	 * Return what is wrong with a relative link of a page, or {@code null} when it leads to an existing
	 * file and, with an anchor, to an existing heading of that file.
	 */
	private static String problem(Path page, String link) throws IOException {
		Path target = target(page, link);
		if (!target.startsWith(ROOT)) {
			return "leads outside the repository";
		}
		if (!Files.exists(target)) {
			return "leads to a missing file " + ROOT.relativize(target);
		}
		int hash = link.indexOf('#');
		if (hash < 0) {
			return null;
		}
		String anchor = link.substring(hash + 1);
		if (!target.getFileName().toString().endsWith(".md") || !Files.isRegularFile(target)) {
			return "has an anchor but " + ROOT.relativize(target) + " is not a markdown file";
		}
		Set<String> anchors = anchors(Files.readString(target));
		return anchors.contains(anchor) ? null
				: "leads to a missing heading #" + anchor + " of " + ROOT.relativize(target) + " (its anchors: "
						+ anchors + ")";
	}

	private static Path target(Path page, String link) {
		int hash = link.indexOf('#');
		String path = (hash >= 0) ? link.substring(0, hash) : link;
		path = URLDecoder.decode(path.replace("+", "%2B"), StandardCharsets.UTF_8);
		return path.isEmpty() ? page : page.getParent().resolve(path).normalize();
	}

	/**
	 * Return the anchors GitHub gives the headings of the markdown, in order: a repeated anchor gets
	 * {@code -1}, {@code -2}... appended.
	 */
	static Set<String> anchors(String markdown) {
		Set<String> anchors = new LinkedHashSet<>();
		Map<String, Integer> seen = new HashMap<>();
		for (String line : withoutCodeBlocks(markdown).lines().toList()) {
			Matcher heading = HEADING.matcher(line);
			if (heading.matches()) {
				String anchor = anchor(heading.group(1));
				int count = seen.merge(anchor, 1, Integer::sum);
				anchors.add((count == 1) ? anchor : anchor + "-" + (count - 1));
			}
		}
		return anchors;
	}

	/**
	 * Return GitHub's anchor of a heading: its text (a link's text, no emphasis or code marks),
	 * lowercase, without punctuation except '-' and '_', spaces turned into '-'.
	 */
	static String anchor(String heading) {
		String text = INLINE_LINK.matcher(heading).replaceAll((link) -> Matcher.quoteReplacement(link.group(1)));
		text = text.replace("*", "").replace("`", "").strip().toLowerCase(Locale.ROOT);
		return ANCHOR_PUNCTUATION.matcher(text).replaceAll("").replace(' ', '-');
	}

	/**
	 * Return the markdown with every fenced code block blanked out (its lines kept, empty).
	 */
	private static String withoutCodeBlocks(String markdown) {
		StringBuilder text = new StringBuilder();
		boolean fenced = false;
		for (String line : markdown.lines().toList()) {
			boolean fence = line.strip().startsWith("```");
			text.append((fenced || fence) ? "" : line).append('\n');
			if (fence) {
				fenced = !fenced;
			}
		}
		return text.toString();
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
