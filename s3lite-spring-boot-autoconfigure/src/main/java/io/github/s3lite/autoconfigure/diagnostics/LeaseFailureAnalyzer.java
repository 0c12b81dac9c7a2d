package io.github.s3lite.autoconfigure.diagnostics;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

import io.github.s3lite.internal.lease.LeaseException;

/**
 * Reports a single-writer lease that could not be taken or read at startup (a provider without
 * conditional writes, an unreadable {@code lock.json}, an unreachable store), with the way out.
 */
class LeaseFailureAnalyzer extends AbstractFailureAnalyzer<LeaseException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, LeaseException cause) {
		String description = String.format("s3lite could not take part in the single-writer lease on its replica."
				+ "%n%n    Reason: %s", cause.getMessage());
		String action = "Check that s3lite.s3.* and s3lite.backup-to reach a provider that supports S3 conditional "
				+ "writes (If-None-Match, If-Match). If lock.json is damaged and no instance runs, delete it. To run "
				+ "without the lease (exactly one instance per replica), set s3lite.lease.enabled=false.";
		return new FailureAnalysis(description, action, cause);
	}

}
