package io.github.s3lite.autoconfigure;

import org.springframework.boot.autoconfigure.AutoConfiguration;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication.Type;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Conditional;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.ProblemDetail;

import io.github.s3lite.datasource.ReplicatingDataSource;
import io.github.s3lite.internal.config.S3liteConfig;
import io.github.s3lite.internal.lifecycle.DatabaseLifecycle;
import io.github.s3lite.internal.web.PositionHeaderFilter;
import io.github.s3lite.web.WriteRefusalExceptionHandler;

/**
 * Auto-configuration of the web answer to refused writes: in a Spring MVC or Spring WebFlux
 * application, {@link WriteRefusalExceptionHandler} answers {@code NotWriterException} and
 * {@code NotReplicatedException} with 503, {@code Retry-After} and a problem body. In a servlet
 * application with the single-writer lease, the {@code S3lite-Position} headers of read-your-writes
 * ({@link PositionHeaderFilter}; off with {@code s3lite.web.position-header=false}). Turned off by
 * {@code s3lite.web.enabled=false}.
 */
@AutoConfiguration(after = S3liteAutoConfiguration.class)
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

	/**
	 * Read-your-writes headers: on the writer, the position after a write; on a follower, a wait for the
	 * position a request carries, and its own position.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnWebApplication(type = Type.SERVLET)
	@ConditionalOnClass(name = "org.springframework.boot.servlet.filter.OrderedFilter")
	@Conditional(OnLeaseCondition.class)
	@ConditionalOnBooleanProperty(name = "s3lite.web.position-header", matchIfMissing = true)
	@ConditionalOnBean({ ReplicatingDataSource.class, DatabaseLifecycle.class, S3liteConfig.class })
	static class PositionHeaderConfiguration {

		@Bean
		@ConditionalOnMissingBean
		PositionHeaderFilter s3litePositionHeaderFilter(ReplicatingDataSource dataSource,
				DatabaseLifecycle s3liteLifecycle, S3liteConfig config) {
			return new PositionHeaderFilter(dataSource, s3liteLifecycle, config.lease().readYourWritesTimeout());
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
