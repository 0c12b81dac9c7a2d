package io.github.s3lite.autoconfigure.diagnostics;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

import io.github.s3lite.internal.migration.MigrationException;

/**
 * Reports a failed statement of {@code s3lite.migrations}, naming its index.
 */
class MigrationFailureAnalyzer extends AbstractFailureAnalyzer<MigrationException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, MigrationException cause) {
		String description = String.format("s3lite.migrations[%d] failed.%n%n    Reason: %s", cause.getIndex(),
				cause.getMessage());
		String action = "Fix s3lite.migrations[" + cause.getIndex() + "]. Migrations run in order on every start "
				+ "without a version table, so each must be idempotent (CREATE TABLE IF NOT EXISTS ...); with "
				+ "Flyway present they run after it, so they may use the tables its migrations create.";
		return new FailureAnalysis(description, action, cause);
	}

}
