package io.github.s3lite.config;

/**
 * Which replication engine s3lite uses ({@code s3lite.engine}).
 */
public enum EngineSelection {

	/** litestream when a compatible v0.3.x binary resolves (property, bundled, PATH), else native. */
	AUTO,

	/** The litestream v0.3.x binary as a supervised child process; fails startup without one. */
	LITESTREAM,

	/** The engine in the JVM, writing litestream v0.3's replica format; runs on every platform. */
	NATIVE

}
