package io.github.s3lite.bench.app;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * The smallest Spring Boot application on the starter: the application the benchmarks start, in a
 * separate JVM for the cold start and in-process for the other measurements. Configured entirely through
 * properties (for a separate JVM through {@code SPRING_APPLICATION_JSON}, so no credential appears in
 * process arguments).
 */
@SpringBootApplication(proxyBeanMethods = false)
public class BenchApplication {

	/** The line prefix printed when the application is ready. */
	public static final String READY = "S3LITE-BENCH-READY";

	/** The line prefix of the row count printed after {@link #READY}. */
	public static final String ROWS = "S3LITE-BENCH-ROWS";

	/**
	 * Start the application; {@link ReadyReporter} prints {@link #READY} when it is ready.
	 * @param args the arguments
	 */
	public static void main(String[] args) {
		SpringApplication application = new SpringApplication(BenchApplication.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		application.run(args);
	}

}
