package io.github.s3lite.internal.startup;

import java.util.List;

import io.github.s3lite.internal.config.S3liteConfig;
import io.github.s3lite.internal.engine.ReplicationEngine;
import io.github.s3lite.internal.lifecycle.DatabaseLifecycle;
import io.github.s3lite.internal.lifecycle.LifecycleState;
import io.github.s3lite.replication.Replication;
import io.github.s3lite.internal.restore.BackgroundRestore;
import io.github.s3lite.internal.restore.ContinuationRule;
import io.github.s3lite.internal.restore.RestoreResult;

/**
 * The start-up of an instance without the single-writer lease ({@code s3lite.lease.enabled=false}, or
 * no {@code s3lite.backup-to}): it is the writer from the end of start-up to shutdown.
 */
public final class LoneWriterStartup extends DatabaseStartup {

	private final boolean trainingRun;

	/**
	 * Create the start-up.
	 * @param config the configuration
	 * @param engine the engine
	 * @param lifecycle the lifecycle, {@link LifecycleState#STARTING}
	 * @param background the background restore, or {@code null}
	 * @param trainingRun whether this is a training run of the start-up accelerators, which said in a line
	 * of its own what it skips
	 */
	public LoneWriterStartup(S3liteConfig config, ReplicationEngine engine, DatabaseLifecycle lifecycle,
			BackgroundRestore background, boolean trainingRun) {
		super(config, engine, lifecycle, background);
		this.trainingRun = trainingRun;
	}

	@Override
	RestoreResult restoreInLine() {
		return restore(this.config, this.engine, ContinuationRule.ALWAYS);
	}

	@Override
	void replicationOff() {
		if (!this.trainingRun) {
			super.replicationOff();
		}
	}

	@Override
	void opened(RestoreResult restored) {
	}

	@Override
	Replication replicate(RestoreResult restored) {
		checkReplica(restored, false);
		Replication replication = this.engine.start(this.config.databasePath(), this.config.backupTo());
		this.lifecycle.moveTo(LifecycleState.WRITING, "replicating to " + this.config.backupTo());
		return replication;
	}

	@Override
	public List<String> migrations() {
		return this.config.migrations();
	}

	@Override
	public boolean changesRole() {
		return false;
	}

}
