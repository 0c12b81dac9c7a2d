package io.github.s3lite.test.context;

import java.util.List;

import org.springframework.test.context.ContextConfigurationAttributes;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.ContextCustomizerFactory;
import org.springframework.test.context.TestContextAnnotationUtils;

/**
 * Creates an {@link S3liteTestDatabaseContextCustomizer} for test classes annotated with
 * {@link AutoConfigureS3liteTestDatabase}. Registered in {@code META-INF/spring.factories}.
 */
class S3liteTestDatabaseContextCustomizerFactory implements ContextCustomizerFactory {

	@Override
	public ContextCustomizer createContextCustomizer(Class<?> testClass,
			List<ContextConfigurationAttributes> configAttributes) {
		AutoConfigureS3liteTestDatabase annotation = TestContextAnnotationUtils.findMergedAnnotation(testClass,
				AutoConfigureS3liteTestDatabase.class);
		return (annotation != null) ? new S3liteTestDatabaseContextCustomizer(annotation.replication()) : null;
	}

}
