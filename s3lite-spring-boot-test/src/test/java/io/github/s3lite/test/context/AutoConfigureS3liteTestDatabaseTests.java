package io.github.s3lite.test.context;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.platform.testkit.engine.EngineTestKit;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.TestPropertySource;

import io.github.s3lite.datasource.ReplicatingDataSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

/**
 * {@link AutoConfigureS3liteTestDatabase} as users use it: two test classes sharing one cached
 * application context (the real litestream replicating to a {@code file:} replica) both pass with no
 * ERROR logged, and the directory is deleted only after the context has closed. Each scenario runs
 * real test classes through the JUnit Platform, as Maven or an IDE would.
 */
@ExtendWith(OutputCaptureExtension.class)
class AutoConfigureS3liteTestDatabaseTests {

	static final List<Path> databases = new ArrayList<>();

	@Test
	void twoTestClassesShareOneContextAndItsDatabaseAndNothingIsDeletedUnderTheRunningContext(
			CapturedOutput output) {
		databases.clear();
		EngineTestKit.engine("junit-jupiter")
			.selectors(selectClass(FirstNotesTests.class), selectClass(SecondNotesTests.class))
			.execute()
			.testEvents()
			.assertStatistics((stats) -> stats.started(2).succeeded(2).failed(0));
		assertThat(databases).hasSize(2);
		assertThat(databases.get(1)).isEqualTo(databases.get(0));
		assertThat(databases.get(0).getParent()).as("deleted after the context closed").doesNotExist();
		assertThat(output.toString().lines()).as("lines logged at ERROR")
			.noneMatch((line) -> line.contains(" ERROR ") || line.contains("level=ERROR"));
		assertThat(output).doesNotContain("WARN");
	}

	@Test
	void propertiesTheTestSetsItselfWin() {
		EngineTestKit.engine("junit-jupiter")
			.selectors(selectClass(OwnPathTests.class))
			.execute()
			.testEvents()
			.assertStatistics((stats) -> stats.started(1).succeeded(1).failed(0));
	}

	@SpringBootConfiguration
	@EnableAutoConfiguration
	static class NotesApplication {

	}

	@SpringBootTest(classes = NotesApplication.class,
			properties = "s3lite.migrations[0]=CREATE TABLE IF NOT EXISTS notes (id INTEGER PRIMARY KEY, text TEXT)")
	@AutoConfigureS3liteTestDatabase
	abstract static class NotesTestsBase {

		@Autowired
		JdbcTemplate jdbc;

		@Autowired
		ReplicatingDataSource dataSource;

		@Autowired
		Environment environment;

		void writeAndReplicate(String text) throws Exception {
			Path database = Path.of(this.environment.getProperty("s3lite.path"));
			databases.add(database);
			assertThat(database).exists();
			this.jdbc.update("INSERT INTO notes (text) VALUES (?)", text);
			this.dataSource.sync(Duration.ofSeconds(20));
			assertThat(this.dataSource.status().replicating()).isTrue();
			try (var replica = Files.list(database.resolveSibling("replica"))) {
				assertThat(replica).isNotEmpty();
			}
		}

	}

	static class FirstNotesTests extends NotesTestsBase {

		@Test
		void writesANote() throws Exception {
			writeAndReplicate("first");
		}

	}

	@DirtiesContext
	static class SecondNotesTests extends NotesTestsBase {

		@Test
		void writesAnotherNoteInTheSameContext() throws Exception {
			writeAndReplicate("second");
			assertThat(this.jdbc.queryForObject("SELECT count(*) FROM notes", Integer.class)).isEqualTo(2);
		}

	}

	@SpringBootTest(classes = NotesApplication.class)
	@AutoConfigureS3liteTestDatabase(replication = false)
	@TestPropertySource(properties = "s3lite.path=target/own-path-${random.uuid}/own.sqlite3")
	@DirtiesContext
	static class OwnPathTests {

		@Autowired
		Environment environment;

		@Test
		void usesTheTestsOwnPathAndNoReplica() {
			assertThat(this.environment.getProperty("s3lite.path")).endsWith("own.sqlite3");
			assertThat(this.environment.getProperty("s3lite.backup-to")).isNull();
		}

	}

}
