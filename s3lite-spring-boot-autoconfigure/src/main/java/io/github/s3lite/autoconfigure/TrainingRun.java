package io.github.s3lite.autoconfigure;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import org.springframework.core.SpringProperties;

import io.github.s3lite.internal.config.LeaseOptions;
import io.github.s3lite.internal.config.S3liteConfig;

/**
 * Recognises a training run of Spring Boot's start-up accelerators (class data sharing, the JVM's AOT
 * cache): {@code -Dspring.context.exit=onRefresh}, which Spring Framework's lifecycle processor reads
 * through {@link SpringProperties} and answers by halting the JVM once the context is refreshed, without
 * shutdown hooks. Such a run must neither read nor write the real replica, nor leave a database at
 * {@code s3lite.path} (a container image built with it would then start on that stale file instead of
 * restoring), nor leave a child process behind: it runs on a throwaway database without a replica.
 */
final class TrainingRun {

	/** The property Spring Framework reads ({@code DefaultLifecycleProcessor.EXIT_PROPERTY_NAME}). */
	static final String EXIT_PROPERTY = "spring.context.exit";

	private static final Logger logger = LoggerFactory.getLogger(TrainingRun.class);

	private TrainingRun() {
	}

	/**
	 * Return whether this JVM is a training run that exits once the context is refreshed.
	 * @return whether it is a training run
	 */
	static boolean active() {
		return "onRefresh".equalsIgnoreCase(SpringProperties.getProperty(EXIT_PROPERTY));
	}

	private static String describe(Object replica) {
		return (replica != null) ? replica.toString() : "(no replica)";
	}

	/**
	 * Return the configuration for this run: unchanged unless it is a training run, otherwise the same
	 * settings on a throwaway database in a new temporary directory, without restore or replication.
	 * @param config the configuration
	 * @return the configuration to run with
	 */
	static S3liteConfig adapt(S3liteConfig config) {
		if (!active()) {
			return config;
		}
		Path database;
		try {
			database = Files.createTempDirectory("s3lite-training-").resolve(config.databasePath().getFileName());
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not create the throwaway database directory of a training run", ex);
		}
		logger.info("Training run ({}=onRefresh): not restoring from {}, not replicating to {}, taking no lease "
				+ "and starting no litestream process; using the throwaway database {} instead of {}", EXIT_PROPERTY,
				describe(config.restoreFrom()), describe(config.backupTo()), database, config.databasePath());
		return new S3liteConfig(database, null, null, config.s3(), config.synchronous(), config.txLock(),
				config.busyTimeout(), config.migrations(), config.restoreTimeout(), config.shutdownSyncTimeout(),
				config.litestream(), config.operations(),
				new LeaseOptions(false, config.lease().ttl(), config.lease().owner()), config.engine(),
				config.nativeEngine(), false, config.durableCommitTimeout());
	}

}
