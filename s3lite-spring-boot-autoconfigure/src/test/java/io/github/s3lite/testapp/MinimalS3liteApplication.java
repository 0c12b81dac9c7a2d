package io.github.s3lite.testapp;

import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.DataSourceAutoConfiguration;
import org.springframework.boot.jdbc.autoconfigure.JdbcTemplateAutoConfiguration;

import io.github.s3lite.autoconfigure.S3liteAutoConfiguration;

/**
 * The smallest application using s3lite, for tests that start a whole {@code SpringApplication} (and so
 * its failure analyzers). In a package of its own, so that no test below it finds it by accident.
 */
@SpringBootConfiguration
@ImportAutoConfiguration({ S3liteAutoConfiguration.class, DataSourceAutoConfiguration.class,
		JdbcTemplateAutoConfiguration.class })
public class MinimalS3liteApplication {

}
