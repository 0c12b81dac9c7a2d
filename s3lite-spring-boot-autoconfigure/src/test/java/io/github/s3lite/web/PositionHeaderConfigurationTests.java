package io.github.s3lite.web;

import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.JdbcTemplateAutoConfiguration;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.webmvc.autoconfigure.WebMvcAutoConfiguration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

import io.github.s3lite.autoconfigure.S3liteAutoConfiguration;
import io.github.s3lite.autoconfigure.S3liteWebAutoConfiguration;
import io.github.s3lite.datasource.ReplicatingDataSource;
import io.github.s3lite.internal.lifecycle.DatabaseLifecycle;
import io.github.s3lite.internal.replication.ReplicaPositions;
import io.github.s3lite.internal.web.PositionHeaderFilter;
import io.github.s3lite.replication.ReplicaPosition;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

/**
 * The read-your-writes filter is registered in a servlet application with the single-writer lease, and
 * only there: not without the lease, not in a reactive application, not with
 * {@code s3lite.web.position-header=false} or {@code s3lite.web.enabled=false}; an application's own
 * bean replaces it. On the writer (MockMvc), a write's response carries the position that holds it and
 * a read's none.
 */
class PositionHeaderConfigurationTests {

	@TempDir
	Path dir;

	private WebApplicationContextRunner servlet() {
		return new WebApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(S3liteAutoConfiguration.class, DataSourceAutoConfiguration.class,
					JdbcTemplateAutoConfiguration.class, S3liteWebAutoConfiguration.class, WebMvcAutoConfiguration.class))
			.withPropertyValues(properties());
	}

	private String[] properties() {
		String replica = "file:" + this.dir.resolve("replica");
		return new String[] { "s3lite.path=" + this.dir.resolve("app.db"), "s3lite.restore-from=" + replica,
				"s3lite.backup-to=" + replica, "s3lite.engine=native",
				"s3lite.migrations[0]=CREATE TABLE IF NOT EXISTS notes (id INTEGER PRIMARY KEY, text TEXT)" };
	}

	@Test
	void onTheWriterAWritesResponseCarriesThePositionThatHoldsItAndAReadsNone() {
		servlet().withUserConfiguration(NotesController.class).run((context) -> {
			assertThat(context).hasSingleBean(PositionHeaderFilter.class);
			MockMvc mvc = MockMvcBuilders.webAppContextSetup(context)
				.addFilters(context.getBean(PositionHeaderFilter.class))
				.build();
			ReplicatingDataSource pool = context.getBean(ReplicatingDataSource.class);
			await().atMost(Duration.ofSeconds(30)).until(() -> pool.currentPosition() != null);
			ReplicaPosition before = pool.currentPosition();
			MvcResult written = mvc.perform(post("/notes")).andReturn();
			assertThat(written.getResponse().getStatus()).isEqualTo(200);
			String position = written.getResponse().getHeader(PositionHeaderFilter.POSITION);
			assertThat(position).isNotNull();
			assertThat(before.reached(ReplicaPositions.parse(position))).as(before + " is before the write").isFalse();
			pool.sync(Duration.ofSeconds(30));
			assertThat(pool.status().replicatedPosition().reached(ReplicaPositions.parse(position))).isTrue();
			MvcResult read = mvc.perform(get("/notes")).andReturn();
			assertThat(read.getResponse().getContentAsString()).isEqualTo("1");
			assertThat(read.getResponse().getHeader(PositionHeaderFilter.POSITION)).isNull();
		});
	}

	@Test
	void positionHeaderFalseOrWebEnabledFalseLeavesItOut() {
		servlet().withPropertyValues("s3lite.web.position-header=false")
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(PositionHeaderFilter.class));
		servlet().withPropertyValues("s3lite.web.enabled=false")
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(PositionHeaderFilter.class));
	}

	@Test
	void withoutTheLeaseThereIsNoFilter() {
		servlet().withPropertyValues("s3lite.lease.enabled=false")
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(PositionHeaderFilter.class));
	}

	@Test
	void aReactiveApplicationHasNoFilter() {
		new ReactiveWebApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(S3liteAutoConfiguration.class, DataSourceAutoConfiguration.class,
					S3liteWebAutoConfiguration.class))
			.withPropertyValues(properties())
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(PositionHeaderFilter.class));
	}

	@Test
	void anApplicationsOwnFilterReplacesIt() {
		servlet().withBean("ownFilter", PositionHeaderFilter.class,
				() -> new PositionHeaderFilter(null, new DatabaseLifecycle(java.time.Clock.systemUTC(), "own", null),
						Duration.ZERO))
			.run((context) -> assertThat(context).getBeans(PositionHeaderFilter.class).containsOnlyKeys("ownFilter"));
	}

	@RestController
	static class NotesController {

		private final JdbcTemplate jdbc;

		NotesController(JdbcTemplate jdbc) {
			this.jdbc = jdbc;
		}

		@PostMapping("/notes")
		void write() {
			this.jdbc.update("INSERT INTO notes (text) VALUES ('hello')");
		}

		@GetMapping("/notes")
		int count() {
			return this.jdbc.queryForObject("SELECT count(*) FROM notes", Integer.class);
		}

	}

}
