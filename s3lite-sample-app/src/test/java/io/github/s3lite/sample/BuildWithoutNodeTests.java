package io.github.s3lite.sample;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * Building from source needs only a JDK and Maven: without node and npm on the PATH, the
 * {@code s3lite-litestream-binaries} module is built without the bundled binary and says so in one
 * warning. Runs the real {@code mvn} (offline, from the local repository the enclosing build filled)
 * with a PATH that holds everything this one does except node and npm.
 */
class BuildWithoutNodeTests {

	private static final Set<String> NODE = Set.of("node", "nodejs", "npm", "npx", "corepack", "node.exe", "npm.cmd");

	@TempDir
	Path dir;

	@Test
	void theBinariesModuleBuildsWithoutNodeWithOneWarningSayingTheBundledBinaryIsNotBuilt() throws Exception {
		Path root = Path.of("..").toAbsolutePath().normalize();
		assumeTrue(Files.isRegularFile(root.resolve("s3lite-litestream-binaries/pom.xml")), "run from the reactor");
		Path bin = pathWithoutNode();
		assumeTrue(Files.exists(bin.resolve("mvn")), "mvn is on the PATH");
		ProcessBuilder builder = new ProcessBuilder(bin.resolve("mvn").toString(), "-B", "-o", "-pl",
				"s3lite-litestream-binaries", "generate-resources")
			.directory(root.toFile())
			.redirectErrorStream(true)
			.redirectOutput(this.dir.resolve("mvn.log").toFile());
		builder.environment().put("PATH", bin.toString());
		Process process = builder.start();
		assertThat(process.waitFor(5, TimeUnit.MINUTES)).as("mvn finished").isTrue();
		List<String> log = Files.readAllLines(this.dir.resolve("mvn.log"), StandardCharsets.UTF_8);
		assertThat(process.exitValue()).as(String.join("\n", log)).isZero();
		assertThat(log).filteredOn((line) -> line.startsWith("[WARNING]"))
			.singleElement()
			.asString()
			.contains("node/npm not found on the PATH", "bundled litestream binary is NOT built",
					"s3lite.litestream.binary", ".ci/run requires it");
		assertThat(log).noneMatch((line) -> line.contains("[exec]"));
	}

	private Path pathWithoutNode() throws IOException {
		Path bin = Files.createDirectories(this.dir.resolve("bin"));
		for (String entry : System.getenv("PATH").split(File.pathSeparator)) {
			Path directory = Path.of(entry.isEmpty() ? "." : entry);
			if (!Files.isDirectory(directory)) {
				continue;
			}
			try (var files = Files.list(directory)) {
				for (Path file : (Iterable<Path>) files::iterator) {
					Path link = bin.resolve(file.getFileName().toString());
					if (!NODE.contains(file.getFileName().toString()) && !Files.exists(link, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
						Files.createSymbolicLink(link, file.toAbsolutePath());
					}
				}
			}
		}
		return bin;
	}

}
