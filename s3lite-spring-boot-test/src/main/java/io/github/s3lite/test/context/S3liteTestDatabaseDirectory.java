package io.github.s3lite.test.context;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.beans.factory.DisposableBean;

/**
 * The temporary directory of one test application context, deleted when the context is destroyed.
 */
final class S3liteTestDatabaseDirectory implements DisposableBean {

	static final String BEAN_NAME = "s3liteTestDatabaseDirectory";

	private static final Logger logger = LoggerFactory.getLogger(S3liteTestDatabaseDirectory.class);

	private final Path directory;

	S3liteTestDatabaseDirectory(Path directory) {
		this.directory = directory;
	}

	@Override
	public void destroy() {
		try {
			Files.walkFileTree(this.directory, new SimpleFileVisitor<>() {

				@Override
				public FileVisitResult visitFile(Path file, BasicFileAttributes attributes) throws IOException {
					Files.deleteIfExists(file);
					return FileVisitResult.CONTINUE;
				}

				@Override
				public FileVisitResult postVisitDirectory(Path dir, IOException ex) throws IOException {
					Files.deleteIfExists(dir);
					return FileVisitResult.CONTINUE;
				}

			});
		}
		catch (IOException ex) {
			logger.warn("Could not delete the s3lite test database directory {}: {}", this.directory, ex.toString());
		}
	}

}
