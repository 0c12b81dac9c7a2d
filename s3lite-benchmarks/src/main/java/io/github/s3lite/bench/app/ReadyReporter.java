package io.github.s3lite.bench.app;

import javax.sql.DataSource;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.context.event.ApplicationReadyEvent;
import org.springframework.context.ApplicationListener;
import org.springframework.core.env.Environment;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

/**
 * Answers one query once the application is ready, then prints {@link BenchApplication#READY} on standard
 * output so that a parent process can time the start. With {@code bench.count-table} it then prints the
 * row count of that table (outside the timed part), and with {@code bench.exit=true} it shuts down
 * gracefully.
 */
@Component
class ReadyReporter implements ApplicationListener<ApplicationReadyEvent> {

	private final DataSource dataSource;

	private final Environment environment;

	ReadyReporter(DataSource dataSource, Environment environment) {
		this.dataSource = dataSource;
		this.environment = environment;
	}

	@Override
	public void onApplicationEvent(ApplicationReadyEvent event) {
		JdbcTemplate jdbc = new JdbcTemplate(this.dataSource);
		Long tables = jdbc.queryForObject("SELECT count(*) FROM sqlite_master", Long.class);
		System.out.println(BenchApplication.READY + " schema-objects=" + tables);
		System.out.flush();
		String table = this.environment.getProperty("bench.count-table");
		if (table != null) {
			Long rows = jdbc.queryForObject("SELECT count(*) FROM " + table, Long.class);
			System.out.println(BenchApplication.ROWS + " " + rows);
			System.out.flush();
		}
		if (this.environment.getProperty("bench.exit", Boolean.class, false)) {
			System.exit(SpringApplication.exit(event.getApplicationContext()));
		}
	}

}
