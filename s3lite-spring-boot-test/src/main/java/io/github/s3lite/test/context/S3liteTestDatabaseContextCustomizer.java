package io.github.s3lite.test.context;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.springframework.beans.factory.support.DefaultSingletonBeanRegistry;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.core.env.MapPropertySource;
import org.springframework.core.env.MutablePropertySources;
import org.springframework.core.env.PropertySource;
import org.springframework.test.context.ContextCustomizer;
import org.springframework.test.context.MergedContextConfiguration;

/**
 * Creates the temporary directory of one test application context, points {@code s3lite.*} at it
 * and registers its deletion as the first disposable bean of the context, which Spring destroys
 * last: after the lifecycle stop (replication flushed, litestream stopped) and after every other
 * bean (the pool). Equal for equal settings, so it does not split Spring's context cache.
 */
class S3liteTestDatabaseContextCustomizer implements ContextCustomizer {

	static final String PROPERTY_SOURCE_NAME = "s3liteTestDatabase";

	private static final List<String> TEST_PROPERTY_SOURCES = List.of("Dynamic Test Properties",
			"Inlined Test Properties");

	private final boolean replication;

	S3liteTestDatabaseContextCustomizer(boolean replication) {
		this.replication = replication;
	}

	@Override
	public void customizeContext(ConfigurableApplicationContext context, MergedContextConfiguration mergedConfig) {
		Path directory = createDirectory();
		if (context.getBeanFactory() instanceof DefaultSingletonBeanRegistry registry) {
			registry.registerDisposableBean(S3liteTestDatabaseDirectory.BEAN_NAME,
					new S3liteTestDatabaseDirectory(directory));
		}
		Map<String, Object> properties = new LinkedHashMap<>();
		properties.put("s3lite.path", directory.resolve("database.sqlite3").toString());
		if (this.replication) {
			String replica = "file:" + directory.resolve("replica");
			properties.put("s3lite.restore-from", replica);
			properties.put("s3lite.backup-to", replica);
		}
		addBelowTestProperties(context.getEnvironment().getPropertySources(),
				new MapPropertySource(PROPERTY_SOURCE_NAME, properties));
	}

	private static Path createDirectory() {
		try {
			return Files.createTempDirectory("s3lite-test-");
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not create the temporary directory of the s3lite test database",
					ex);
		}
	}

	private static void addBelowTestProperties(MutablePropertySources sources, MapPropertySource source) {
		String below = null;
		for (PropertySource<?> candidate : sources) {
			if (TEST_PROPERTY_SOURCES.contains(candidate.getName())) {
				below = candidate.getName();
			}
		}
		if (below != null) {
			sources.addAfter(below, source);
		}
		else {
			sources.addFirst(source);
		}
	}

	@Override
	public boolean equals(Object obj) {
		return (obj instanceof S3liteTestDatabaseContextCustomizer other) && this.replication == other.replication;
	}

	@Override
	public int hashCode() {
		return Boolean.hashCode(this.replication);
	}

}
