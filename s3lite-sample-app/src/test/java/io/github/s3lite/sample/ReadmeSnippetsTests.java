package io.github.s3lite.sample;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every Java snippet in README.md compiles and runs: each {@code ```java} block must appear verbatim
 * (ignoring trailing whitespace) in a source file of this repository, which the build compiles (the
 * README's test snippets live in {@code com.example.notes} and run as tests of this module). A
 * snippet edited in the README alone, or a source edited without its README copy, fails the build.
 */
class ReadmeSnippetsTests {

	private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

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
