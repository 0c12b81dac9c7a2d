package io.github.s3lite.web;

import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.http.codec.autoconfigure.CodecsAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.JdbcTemplateAutoConfiguration;
import org.springframework.boot.tomcat.autoconfigure.reactive.TomcatReactiveWebServerAutoConfiguration;
import org.springframework.boot.webflux.autoconfigure.HttpHandlerAutoConfiguration;
import org.springframework.boot.webflux.autoconfigure.WebFluxAutoConfiguration;
import org.springframework.boot.webflux.autoconfigure.error.ErrorWebFluxAutoConfiguration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

import io.github.s3lite.autoconfigure.S3liteAutoConfiguration;
import io.github.s3lite.autoconfigure.S3liteWebAutoConfiguration;

/**
 * A Spring WebFlux application on (reactive) Tomcat with s3lite and one write endpoint, which runs its
 * blocking JDBC call on the bounded elastic scheduler and answers on the parallel one.
 */
@SpringBootConfiguration
@ImportAutoConfiguration({ S3liteAutoConfiguration.class, DataSourceAutoConfiguration.class,
		JdbcTemplateAutoConfiguration.class, S3liteWebAutoConfiguration.class,
		TomcatReactiveWebServerAutoConfiguration.class, HttpHandlerAutoConfiguration.class,
		WebFluxAutoConfiguration.class, ErrorWebFluxAutoConfiguration.class, CodecsAutoConfiguration.class,
		JacksonAutoConfiguration.class })
class ReactiveFollowerApp {

	@RestController
	static class NotesController {

		private final JdbcTemplate jdbc;

		NotesController(JdbcTemplate jdbc) {
			this.jdbc = jdbc;
		}

		@PostMapping("/notes")
		Mono<Void> write() {
			// the answer is written on another scheduler: the bounded elastic worker is disposed (its thread
			// interrupted) once the blocking call signalled, and a write still running on it would fail
			return Mono.fromRunnable(() -> this.jdbc.execute(FollowerWebApps.WRITE))
				.subscribeOn(Schedulers.boundedElastic())
				.publishOn(Schedulers.parallel())
				.then();
		}

	}

}
