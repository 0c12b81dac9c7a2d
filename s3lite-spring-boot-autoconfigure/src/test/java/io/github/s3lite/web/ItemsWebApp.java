package io.github.s3lite.web;

import java.util.List;
import java.util.Map;

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
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import io.github.s3lite.autoconfigure.S3liteAutoConfiguration;
import io.github.s3lite.autoconfigure.S3liteWebAutoConfiguration;

/**
 * A Spring MVC application on Tomcat with s3lite and an {@code items} resource: a POST answered 201 with
 * a JSON body, a DELETE answered 204 without one, and reads.
 */
@SpringBootConfiguration
@ImportAutoConfiguration({ S3liteAutoConfiguration.class, DataSourceAutoConfiguration.class,
		JdbcTemplateAutoConfiguration.class, S3liteWebAutoConfiguration.class,
		TomcatServletWebServerAutoConfiguration.class, DispatcherServletAutoConfiguration.class,
		WebMvcAutoConfiguration.class, ErrorMvcAutoConfiguration.class, HttpMessageConvertersAutoConfiguration.class,
		JacksonAutoConfiguration.class })
class ItemsWebApp {

	static final String TABLE = "s3lite.migrations[0]=CREATE TABLE IF NOT EXISTS items (id INTEGER PRIMARY KEY, "
			+ "name TEXT NOT NULL)";

	@RestController
	static class ItemsController {

		private final JdbcTemplate jdbc;

		ItemsController(JdbcTemplate jdbc) {
			this.jdbc = jdbc;
		}

		@PostMapping("/items")
		ResponseEntity<Map<String, Object>> create(@RequestBody Map<String, Object> item) {
			this.jdbc.update("INSERT INTO items (id, name) VALUES (?, ?)", item.get("id"), item.get("name"));
			return ResponseEntity.status(HttpStatus.CREATED).body(item);
		}

		@DeleteMapping("/items/{id}")
		ResponseEntity<Void> delete(@PathVariable int id) {
			this.jdbc.update("DELETE FROM items WHERE id = ?", id);
			return ResponseEntity.noContent().build();
		}

		@GetMapping("/items/{id}")
		ResponseEntity<Map<String, Object>> read(@PathVariable int id) {
			List<Map<String, Object>> rows = this.jdbc.queryForList("SELECT id, name FROM items WHERE id = ?", id);
			return rows.isEmpty() ? ResponseEntity.notFound().build() : ResponseEntity.ok(rows.get(0));
		}

	}

}
