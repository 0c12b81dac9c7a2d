package io.github.s3lite.testapp;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.JdbcTemplateAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;

import io.github.s3lite.autoconfigure.S3liteAutoConfiguration;

/**
 * Context runners shared by the tests.
 */
public final class S3liteApps {

	private S3liteApps() {
	}

	/**
	 * Return a runner for an application with s3lite, Boot's DataSource auto-configuration (which s3lite
	 * goes before) and {@code JdbcTemplate}; tests add properties and further configurations.
	 * @return the runner
	 */
	public static ApplicationContextRunner withJdbc() {
		return new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(S3liteAutoConfiguration.class,
				DataSourceAutoConfiguration.class, JdbcTemplateAutoConfiguration.class));
	}

}
