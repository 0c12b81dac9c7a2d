package io.github.s3lite.autoconfigure;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication.Type;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.ProblemDetail;

import io.github.s3lite.web.WriteRefusalExceptionHandler;

/**
 * Auto-configuration of the web answer to refused writes: in a Spring MVC or Spring WebFlux
 * application, {@link WriteRefusalExceptionHandler} answers {@code NotWriterException} and
 * {@code NotReplicatedException} with 503, {@code Retry-After} and a problem body. Turned off by
 * {@code s3lite.web.enabled=false}.
 */
@AutoConfiguration
@ConditionalOnClass(ProblemDetail.class)
@ConditionalOnBooleanProperty(name = "s3lite.web.enabled", matchIfMissing = true)
public final class S3liteWebAutoConfiguration {

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnWebApplication(type = Type.SERVLET)
	@ConditionalOnClass(name = "org.springframework.web.servlet.DispatcherServlet")
	static class ServletConfiguration {

		@Bean
		@ConditionalOnMissingBean
		WriteRefusalExceptionHandler s3liteWriteRefusalExceptionHandler() {
			return new WriteRefusalExceptionHandler();
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnWebApplication(type = Type.REACTIVE)
	@ConditionalOnClass(name = "org.springframework.web.reactive.DispatcherHandler")
	static class ReactiveConfiguration {

		@Bean
		@ConditionalOnMissingBean
		WriteRefusalExceptionHandler s3liteWriteRefusalExceptionHandler() {
			return new WriteRefusalExceptionHandler();
		}

	}

}
