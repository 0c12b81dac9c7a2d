package io.github.s3lite.web;

import jakarta.servlet.ServletException;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.http.converter.autoconfigure.HttpMessageConvertersAutoConfiguration;
import org.springframework.boot.jackson.autoconfigure.JacksonAutoConfiguration;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.webmvc.autoconfigure.WebMvcAutoConfiguration;
import org.springframework.dao.DataAccessException;
import org.springframework.dao.DataIntegrityViolationException;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.ProblemDetail;
import org.springframework.http.ResponseEntity;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.RestControllerAdvice;
import org.springframework.web.context.WebApplicationContext;

import io.github.s3lite.autoconfigure.S3liteWebAutoConfiguration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.post;

/**
 * The web mapping of refused writes in a Spring MVC application, through MockMvc: each refusal
 * {@code JdbcTemplate} reports is answered 503 with {@code Retry-After} and a problem body; the
 * application's own handlers win; {@code s3lite.web.enabled=false} turns it off.
 */
class WriteRefusalMockMvcTests {

	private final WebApplicationContextRunner runner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(S3liteWebAutoConfiguration.class, WebMvcAutoConfiguration.class,
				HttpMessageConvertersAutoConfiguration.class, JacksonAutoConfiguration.class))
		.withUserConfiguration(RefusingController.class);

	@Test
	void aWriteRefusedAsNotTheWriterIsAnswered503WithRetryAfterAndAProblemBodyNamingTheHolder() {
		this.runner.run((context) -> {
			MvcResult result = perform(context, "/not-writer");
			assertThat(result.getResponse().getStatus()).isEqualTo(503);
			assertThat(result.getResponse().getHeader("Retry-After")).isEqualTo("1");
			assertThat(result.getResponse().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
			String body = result.getResponse().getContentAsString();
			assertThat(body).contains("\"status\":503", "\"reason\":\"not-writer\"",
					"\"holder\":\"" + RefusingController.HOLDER + "\"", "\"instance\":\"/not-writer\"");
			assertThat(body).doesNotContain("trace", "Exception", RefusingController.REPLICA);
		});
	}

	@Test
	void aWriteRefusedByAnInstanceThatKnowsNoHolderLeavesTheHolderOut() {
		this.runner.run((context) -> {
			MvcResult result = perform(context, "/not-writer-holder-unknown");
			assertThat(result.getResponse().getStatus()).isEqualTo(503);
			assertThat(result.getResponse().getContentAsString()).contains("\"reason\":\"not-writer\"")
				.doesNotContain("\"holder\"");
		});
	}

	@Test
	void aDurableCommitTheReplicaDidNotStoreIsAnswered503SayingItIsCommittedLocally() {
		this.runner.run((context) -> {
			MvcResult result = perform(context, "/committed-locally");
			assertThat(result.getResponse().getStatus()).isEqualTo(503);
			assertThat(result.getResponse().getHeader("Retry-After")).isEqualTo("5");
			assertThat(result.getResponse().getContentType()).isEqualTo(MediaType.APPLICATION_PROBLEM_JSON_VALUE);
			assertThat(result.getResponse().getContentAsString()).contains("\"reason\":\"not-replicated\"",
					"\"committedLocally\":true", "committed locally")
				.doesNotContain("trace", "Exception", RefusingController.REPLICA);
		});
	}

	@Test
	void aWriteRefusedWhileTheReplicaIsUnreachableIsAnswered503SayingNothingWasWritten() {
		this.runner.run((context) -> {
			MvcResult result = perform(context, "/refused");
			assertThat(result.getResponse().getStatus()).isEqualTo(503);
			assertThat(result.getResponse().getHeader("Retry-After")).isEqualTo("5");
			assertThat(result.getResponse().getContentAsString()).contains("\"committedLocally\":false",
					"nothing was written");
		});
	}

	@Test
	void otherDataAccessErrorsKeepTheirHandling() {
		this.runner.run((context) -> assertThatExceptionOfType(ServletException.class)
			.isThrownBy(() -> perform(context, "/duplicate"))
			.withRootCauseInstanceOf(DataIntegrityViolationException.class));
	}

	@Test
	void anApplicationsOwnControllerAdviceWins() {
		this.runner.withUserConfiguration(UserAdvice.class).run((context) -> {
			MvcResult result = perform(context, "/not-writer");
			assertThat(result.getResponse().getStatus()).isEqualTo(409);
			assertThat(result.getResponse().getContentAsString()).isEqualTo("handled by the application");
		});
	}

	@Test
	void anApplicationsOwnHandlerBeanReplacesIt() {
		this.runner.withBean(WriteRefusalExceptionHandler.class, CustomHandler::new).run((context) -> {
			assertThat(context).hasSingleBean(WriteRefusalExceptionHandler.class);
			assertThat(perform(context, "/not-writer").getResponse().getStatus()).isEqualTo(418);
		});
	}

	@Test
	void s3liteWebEnabledFalseTurnsTheMappingOff() {
		this.runner.withPropertyValues("s3lite.web.enabled=false").run((context) -> {
			assertThat(context).doesNotHaveBean(WriteRefusalExceptionHandler.class);
			assertThatExceptionOfType(ServletException.class).isThrownBy(() -> perform(context, "/not-writer"));
		});
	}

	@Test
	void isNotConfiguredOutsideAWebApplication() {
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(S3liteWebAutoConfiguration.class))
			.run((context) -> assertThat(context).hasNotFailed().doesNotHaveBean(WriteRefusalExceptionHandler.class));
	}

	private static MvcResult perform(WebApplicationContext context, String path) throws Exception {
		MockMvc mvc = MockMvcBuilders.webAppContextSetup(context).build();
		return mvc.perform(post(path).accept(MediaType.APPLICATION_JSON)).andReturn();
	}

	@RestControllerAdvice
	static class UserAdvice {

		@ExceptionHandler(DataAccessException.class)
		ResponseEntity<String> dataAccess(DataAccessException ex) {
			return ResponseEntity.status(HttpStatus.CONFLICT).body("handled by the application");
		}

	}

	static class CustomHandler extends WriteRefusalExceptionHandler {

		@Override
		public ResponseEntity<ProblemDetail> writeRefused(Throwable failure) {
			return ResponseEntity.status(HttpStatus.I_AM_A_TEAPOT).build();
		}

	}

}
