package io.github.s3lite.internal.replication;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

import io.github.s3lite.replication.Replication;
import io.github.s3lite.replication.ReplicationException;
import io.github.s3lite.replication.ReplicationStatus;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.awaitility.Awaitility.await;

/**
 * A fence that comes while a hand-over's final upload runs (renewals failing while litestream uploads,
 * e.g. with a short ttl). The engine here is a stand-in whose final upload lasts until it is halted or
 * its timeout passes: a real engine's upload cannot be held open at a chosen moment in a unit test. The
 * end-to-end counterpart is the fault harness's hand-over and partition steps on the packaged app.
 */
class HandOverFinalUploadFenceTests {

	private static final Duration UPLOAD_TIMEOUT = Duration.ofSeconds(30);

	@Test
	void aFenceDuringAHandOversFinalUploadHaltsTheUploadInsteadOfWaitingForIt() throws Exception {
		HeldFinalUpload engine = new HeldFinalUpload();
		SwitchableReplication replication = new SwitchableReplication("litestream", "s3://bucket/db", engine);
		CompletableFuture<Boolean> handOver = CompletableFuture
			.supplyAsync(() -> replication.flushAndStopActive(UPLOAD_TIMEOUT));
		assertThat(engine.uploading.await(10, TimeUnit.SECONDS)).as("the final upload started").isTrue();

		replication.haltActive("this instance is fenced");

		assertThat(handOver.get(10, TimeUnit.SECONDS)).as("the final upload proved nothing").isFalse();
		assertThat(engine.events).containsExactly("upload started", "halted", "upload ended");
		assertThat(replication.isActive()).isFalse();
		assertThatExceptionOfType(ReplicationException.class).isThrownBy(() -> replication.sync(Duration.ofSeconds(1)))
			.withMessageContaining("halted (this instance is fenced)");
	}

	@Test
	void aFinalUploadThatEndsUnfencedStopsTheReplicationAndProvesTheFlush() throws Exception {
		HeldFinalUpload engine = new HeldFinalUpload();
		SwitchableReplication replication = new SwitchableReplication("litestream", "s3://bucket/db", engine);
		CompletableFuture<Boolean> handOver = CompletableFuture
			.supplyAsync(() -> replication.flushAndStopActive(UPLOAD_TIMEOUT));
		assertThat(engine.uploading.await(10, TimeUnit.SECONDS)).isTrue();
		await().until(() -> replication.isActive());

		engine.confirm.countDown();

		assertThat(handOver.get(10, TimeUnit.SECONDS)).isTrue();
		assertThat(engine.events).containsExactly("upload started", "upload ended");
		assertThat(replication.isActive()).isFalse();
		replication.sync(Duration.ofSeconds(1));
	}

	/** A final upload that runs until it is halted (unconfirmed) or confirmed. */
	private static final class HeldFinalUpload implements Replication, FinalUpload {

		final CountDownLatch uploading = new CountDownLatch(1);

		final CountDownLatch confirm = new CountDownLatch(1);

		final List<String> events = new CopyOnWriteArrayList<>();

		private volatile boolean halted;

		@Override
		public boolean provesFinalUpload() {
			return true;
		}

		@Override
		public boolean stopAfterFinalUpload(Duration timeout) {
			this.events.add("upload started");
			this.uploading.countDown();
			try {
				boolean confirmed = this.confirm.await(timeout.toMillis(), TimeUnit.MILLISECONDS);
				return confirmed && !this.halted;
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
				return false;
			}
			finally {
				this.events.add("upload ended");
			}
		}

		@Override
		public void halt() {
			this.halted = true;
			this.events.add("halted");
			// the process is killed: its upload ends unconfirmed
			this.confirm.countDown();
		}

		@Override
		public void sync(Duration timeout) {
		}

		@Override
		public ReplicationStatus status() {
			return new ReplicationStatus(true, "litestream", "s3://bucket/db", true, null, null, 0, true, null, 0, 0,
					null, null, java.util.Map.of(), java.util.Map.of());
		}

		@Override
		public void stop() {
			this.events.add("stopped");
		}

	}

}
