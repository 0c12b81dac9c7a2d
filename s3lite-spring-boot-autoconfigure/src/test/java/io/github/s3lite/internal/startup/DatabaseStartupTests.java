package io.github.s3lite.internal.startup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.s3lite.config.EngineSelection;
import io.github.s3lite.internal.config.S3Connection;
import io.github.s3lite.internal.config.S3liteConfig;
import io.github.s3lite.config.S3liteProperties;
import io.github.s3lite.internal.lifecycle.DatabaseLifecycle;
import io.github.s3lite.internal.lifecycle.LifecycleState;
import io.github.s3lite.internal.lifecycle.LifecycleTransition;
import io.github.s3lite.internal.nativeengine.NativeEngine;
import io.github.s3lite.replication.Replication;
import io.github.s3lite.internal.restore.RestoreResult;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatRuntimeException;

/**
 * The start-up steps of a lone writer on its lifecycle, with the native engine and real {@code file:}
 * replicas: writes are refused until replication started, and a step that fails leaves the lifecycle
 * failed (the context does not start) instead of half-started.
 */
class DatabaseStartupTests {

	@TempDir
	Path dir;

	@Test
	void aLoneWriterAcceptsWritesOnlyOnceReplicationStarted() throws IOException {
		Path replica = Files.createDirectories(this.dir.resolve("replica"));
		S3liteConfig config = config("file:" + replica, "file:" + replica);
		DatabaseLifecycle lifecycle = new DatabaseLifecycle(Clock.systemUTC(), config.databasePath().toString(), null);
		LoneWriterStartup startup = new LoneWriterStartup(config, engine(config), lifecycle, null, false);
		RestoreResult restored = startup.restore();
		assertThat(restored.outcome()).isNotEqualTo(RestoreResult.Outcome.RESTORED);
		assertThat(lifecycle.state()).isEqualTo(LifecycleState.STARTING);
		assertThat(lifecycle.isWriter()).isFalse();
		Replication replication = startup.startReplication(restored);
		try {
			assertThat(lifecycle.state()).isEqualTo(LifecycleState.WRITING);
			assertThat(lifecycle.isWriter()).isTrue();
			assertThat(startup.migrations()).isEqualTo(config.migrations());
			assertThat(startup.changesRole()).isFalse();
		}
		finally {
			replication.stop();
		}
	}

	@Test
	void aRestoreThatFailsLeavesTheLifecycleFailedWithTheReason() throws IOException {
		Path replica = Files.createDirectories(this.dir.resolve("replica"));
		Path snapshot = Files.createDirectories(replica.resolve("generations/0123456789abcdef/snapshots"))
			.resolve("00000000.snapshot.lz4");
		Files.write(snapshot, new byte[] { 1, 2, 3, 4, 5, 6, 7, 8 });
		S3liteConfig config = config("file:" + replica, null);
		DatabaseLifecycle lifecycle = new DatabaseLifecycle(Clock.systemUTC(), config.databasePath().toString(), null);
		LoneWriterStartup startup = new LoneWriterStartup(config, engine(config), lifecycle, null, false);
		RuntimeException failure = assertThatRuntimeException().isThrownBy(startup::restore).actual();
		assertThat(lifecycle.state()).isEqualTo(LifecycleState.FAILED);
		assertThat(lifecycle.isWriter()).isFalse();
		assertThat(lifecycle.history()).last()
			.extracting(LifecycleTransition::reason)
			.isEqualTo(failure.getMessage());
		assertThat(Files.exists(config.databasePath())).as("no half-restored database left").isFalse();
	}

	private S3liteConfig config(String restoreFrom, String backupTo) {
		S3liteProperties properties = new S3liteProperties();
		properties.setPath(this.dir.resolve("app.db"));
		properties.setRestoreFrom(restoreFrom);
		properties.setBackupTo(backupTo);
		properties.setEngine(EngineSelection.NATIVE);
		properties.getLease().setEnabled(false);
		return S3liteConfig.from(properties, S3Connection.of(null, null, null, null, null));
	}

	private static NativeEngine engine(S3liteConfig config) {
		return new NativeEngine(config.s3(), config.nativeEngine());
	}

}
