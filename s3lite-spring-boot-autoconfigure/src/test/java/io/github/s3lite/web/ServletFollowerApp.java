package io.github.s3lite.web;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.http.converter.autoconfigure.HttpMessageConvertersAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.JdbcTemplateAutoConfiguration;
import org.springframework.boot.tomcat.autoconfigure.servlet.TomcatServletWebServerAutoConfiguration;
import org.springframework.boot.webmvc.autoconfigure.DispatcherServletAutoConfiguration;
import org.springframework.boot.webmvc.autoconfigure.WebMvcAutoConfiguration;
import org.springframework.boot.webmvc.autoconfigure.error.ErrorMvcAutoConfiguration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

import io.github.s3lite.autoconfigure.S3liteAutoConfiguration;
import io.github.s3lite.autoconfigure.S3liteWebAutoConfiguration;

/**
 * A Spring MVC application on Tomcat with s3lite and one write endpoint.
 */
@SpringBootConfiguration
@ImportAutoConfiguration({ S3liteAutoConfiguration.class, DataSourceAutoConfiguration.class,
		JdbcTemplateAutoConfiguration.class, S3liteWebAutoConfiguration.class,
		TomcatServletWebServerAutoConfiguration.class, DispatcherServletAutoConfiguration.class,
		WebMvcAutoConfiguration.class, ErrorMvcAutoConfiguration.class, HttpMessageConvertersAutoConfiguration.class,
		JacksonAutoConfiguration.class })
class ServletFollowerApp {

	@RestController
	static class NotesController {

		private final JdbcTemplate jdbc;

		NotesController(JdbcTemplate jdbc) {
			this.jdbc = jdbc;
		}

		@PostMapping("/notes")
		void write() {
			this.jdbc.execute(FollowerWebApps.WRITE);
		}

	}

}
