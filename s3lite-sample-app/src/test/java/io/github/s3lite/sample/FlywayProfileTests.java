package io.github.s3lite.sample;

import java.nio.file.Path;

import org.flywaydb.core.Flyway;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.simple.JdbcClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The sample app's two ways to create its schema: {@code s3lite.migrations} by default, Flyway with
 * {@code db/migration} under the {@code flyway} profile. Both run the real starter with a {@code file:}
 * replica in a temporary directory.
 */
class FlywayProfileTests {

	@TempDir
	Path dir;

	private ConfigurableApplicationContext start(String... profiles) {
		String replica = "file:" + this.dir.resolve("replica");
		return new SpringApplicationBuilder(NotesApplication.class).web(WebApplicationType.NONE)
			.profiles(profiles)
			.run("--s3lite.path=" + this.dir.resolve("notes.sqlite3"), "--s3lite.restore-from=" + replica,
					"--s3lite.backup-to=" + replica);
	}

	@Test
	void defaultProfileCreatesTheSchemaWithS3liteMigrationsAndLeavesFlywayOff() {
		try (ConfigurableApplicationContext context = start()) {
			assertThat(context.getBeanProvider(Flyway.class).getIfAvailable()).isNull();
			NoteRepository notes = context.getBean(NoteRepository.class);
			notes.create("hello");
			assertThat(notes.findAll()).extracting(Note::text).containsExactly("hello");
			assertThat(tableCount(context, "flyway_schema_history")).isZero();
		}
	}

	@Test
	void flywayProfileCreatesTheSchemaWithFlywayAndStillRunsS3liteMigrationsAfterIt() {
		try (ConfigurableApplicationContext context = start("flyway")) {
			assertThat(context.getBean(Flyway.class).info().current().getVersion().getVersion()).isEqualTo("1");
			NoteRepository notes = context.getBean(NoteRepository.class);
			notes.create("hello");
			assertThat(notes.findAll()).extracting(Note::text).containsExactly("hello");
			assertThat(indexCount(context, "notes_created_at")).isOne();
		}
	}

	private static long tableCount(ConfigurableApplicationContext context, String table) {
		return context.getBean(JdbcClient.class)
			.sql("SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = ?")
			.param(table)
			.query(Long.class)
			.single();
	}

	private static long indexCount(ConfigurableApplicationContext context, String index) {
		return context.getBean(JdbcClient.class)
			.sql("SELECT count(*) FROM sqlite_master WHERE type = 'index' AND name = ?")
			.param(index)
			.query(Long.class)
			.single();
	}

}
