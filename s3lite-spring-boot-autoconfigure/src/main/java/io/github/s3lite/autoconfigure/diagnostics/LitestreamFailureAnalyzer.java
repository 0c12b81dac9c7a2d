package io.github.s3lite.autoconfigure.diagnostics;

import org.springframework.boot.diagnostics.AbstractFailureAnalyzer;
import org.springframework.boot.diagnostics.FailureAnalysis;

import io.github.s3lite.internal.litestream.LitestreamException;

/**
 * Reports a litestream binary that cannot be found, is not executable, is built for another platform
 * or is not v0.3.x, and a litestream that cannot be started.
 */
class LitestreamFailureAnalyzer extends AbstractFailureAnalyzer<LitestreamException> {

	@Override
	protected FailureAnalysis analyze(Throwable rootFailure, LitestreamException cause) {
		String description = String.format("s3lite could not run litestream.%n%n    Reason: %s", cause.getMessage());
		String action = "Set s3lite.litestream.binary to an executable litestream v0.3.x built for "
				+ System.getProperty("os.name") + " " + System.getProperty("os.arch") + ", or unset it to use the "
				+ "bundled binary (s3lite-litestream-binaries, linux x86-64) or 'litestream' on the PATH.";
		return new FailureAnalysis(description, action, cause);
	}

}
