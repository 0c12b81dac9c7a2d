package io.github.s3lite.internal.litestream;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Work directories for litestream's configuration are deleted by the operation that created them, never
 * left to a JVM exit hook: a {@code deleteOnExit} entry per scheduled verification grows without end.
 */
class LitestreamConfigFileTests {

	private static final Pattern WORK_DIRECTORY = Pattern.compile("work directory: (\\S+)");

	@Test
	void aWorkDirectoryIsNotRegisteredForDeletionAtJvmExit() throws Exception {
		ChildJvm.Result run = ChildJvm.run(List.of(), WorkDirectoryRun.class);
		Matcher matcher = WORK_DIRECTORY.matcher(run.output());
		assertThat(matcher.find()).as(run.output()).isTrue();
		Path directory = Path.of(matcher.group(1));
		try {
			assertThat(directory).as("deleted by a JVM exit hook").isDirectory();
		}
		finally {
			Files.deleteIfExists(directory);
		}
	}

}
