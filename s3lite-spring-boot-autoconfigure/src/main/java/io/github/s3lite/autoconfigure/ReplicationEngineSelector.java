package io.github.s3lite.autoconfigure;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.github.s3lite.config.EngineSelection;
import io.github.s3lite.internal.config.S3liteConfig;
import io.github.s3lite.internal.engine.ReplicationEngine;
import io.github.s3lite.internal.litestream.LitestreamBinary;
import io.github.s3lite.internal.litestream.LitestreamBinaryResolver;
import io.github.s3lite.internal.litestream.LitestreamEngine;
import io.github.s3lite.internal.litestream.LitestreamException;
import io.github.s3lite.internal.nativeengine.NativeEngine;

/**
 * Chooses the engine {@code s3lite.engine} asks for: {@code litestream} and {@code native} as they
 * are; {@code auto} litestream when a compatible v0.3.x binary resolves, else native, logged at INFO
 * with the reason, and always native with {@code s3lite.durable-commits=true}. litestream restores and
 * checks the replica with the native engine ({@link NativelyRestoringEngine}) unless
 * {@code s3lite.litestream.native-restore=false}. A binary named by
 * {@code s3lite.litestream.binary} is an explicit choice: when it is unusable, startup fails saying why
 * instead of silently replicating with another engine. Without any replica configured, {@code auto}
 * resolves nothing.
 */
final class ReplicationEngineSelector {

	private static final Logger logger = LoggerFactory.getLogger(ReplicationEngineSelector.class);

	private ReplicationEngineSelector() {
	}

	static ReplicationEngine select(S3liteConfig config, LitestreamBinaryResolver resolver) {
		Choice choice = choose(config, resolver);
		if (choice.reason() != null) {
			logger.info(choice.reason());
		}
		return choice.engine();
	}

	static Choice choose(S3liteConfig config, LitestreamBinaryResolver resolver) {
		NativeEngine nativeEngine = new NativeEngine(config.s3(), config.nativeEngine());
		ReplicationEngine litestream = new LitestreamEngine(resolver, config.s3(), config.litestream());
		if (config.litestream().nativeRestore()) {
			litestream = new NativelyRestoringEngine(litestream, nativeEngine, resolver::resolve);
		}
		String auto = "(s3lite.engine=auto): ";
		if (config.engine() == EngineSelection.LITESTREAM) {
			return new Choice(litestream, null);
		}
		if (config.engine() == EngineSelection.NATIVE) {
			return new Choice(nativeEngine, "Using the native replication engine (s3lite.engine=native)");
		}
		if (!config.needsEngine()) {
			return new Choice(nativeEngine, null);
		}
		if (config.durableCommits()) {
			return new Choice(nativeEngine,
					"Using the native replication engine " + auto + "s3lite.durable-commits=true needs it");
		}
		if (config.litestream().binary() != null) {
			LitestreamBinary binary = resolver.resolve();
			return new Choice(litestream, "Using the litestream replication engine " + auto
					+ "s3lite.litestream.binary names litestream " + binary.version());
		}
		try {
			LitestreamBinary binary = resolver.resolve();
			// the resolver said where it found the binary, once
			return new Choice(litestream, "Using the litestream replication engine " + auto + "litestream "
					+ binary.version() + " resolved");
		}
		catch (LitestreamException ex) {
			return new Choice(nativeEngine, "Using the native replication engine " + auto
					+ "no compatible litestream v0.3.x binary resolved (" + ex.getMessage() + ")");
		}
	}

	/**
	 * The engine chosen, and the line that says why (or {@code null}).
	 */
	record Choice(ReplicationEngine engine, String reason) {

	}

}
