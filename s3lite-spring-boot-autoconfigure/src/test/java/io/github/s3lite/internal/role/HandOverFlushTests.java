package io.github.s3lite.internal.role;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import ch.qos.logback.classic.Level;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.test.context.assertj.AssertableApplicationContext;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.jdbc.core.JdbcTemplate;

import io.github.s3lite.datasource.ReplicatingDataSource;
import io.github.s3lite.internal.config.NativeOptions;
import io.github.s3lite.internal.config.ReplicaUrl;
import io.github.s3lite.internal.config.S3Connection;
import io.github.s3lite.internal.engine.ReplicationEngine;
import io.github.s3lite.internal.lease.LeaseRole;
import io.github.s3lite.internal.nativeengine.NativeEngine;
import io.github.s3lite.internal.replication.FinalUpload;
import io.github.s3lite.internal.replication.WalPosition;
import io.github.s3lite.internal.storage.WritePermit;
import io.github.s3lite.reliability.ReplicatedApp;
import io.github.s3lite.replication.Replication;
import io.github.s3lite.replication.ReplicationStatus;
import io.github.s3lite.replication.SyncListener;
import io.github.s3lite.test.IndependentRestore;
import io.github.s3lite.test.S3ProxyServer;
import io.github.s3lite.testapp.CapturedLog;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A hand-over flushes by the replication's own final upload only when that upload is confirmed: one
 * that is not leaves the holder the writer, replicating again, and the next hand-over (which flushes by
 * a sync) loses nothing.
 */
class HandOverFlushTests {

	private static final String BUCKET = "handover-flush";

	private static final Duration GUARD = Duration.ofSeconds(60);

	@RegisterExtension
	static final S3ProxyServer s3 = S3ProxyServer.withBucket(BUCKET);

	@TempDir
	Path dir;

	@Test
	void aFinalUploadThatIsNotConfirmedKeepsTheHolderTheWriterReplicatingAndTheNextHandOverLosesNothing() {
		String prefix = "db-" + UUID.randomUUID();
		FirstStopUnconfirmed engine = new FirstStopUnconfirmed();
		try (CapturedLog log = CapturedLog.of("io.github.s3lite.internal.role", Level.WARN)) {
			app(prefix, "first").withBean(ReplicationEngine.class, () -> engine).run((first) -> {
				assertThat(first).hasNotFailed();
				ReplicatedApp.insert(first.getBean(JdbcTemplate.class), 1, 10);
				app(prefix, "second").run((second) -> {
					// the second asks at its first poll (ttl/6, 5 s); the first's final upload is not confirmed: it
					// stays the writer, replicating again, and takes the request up again at its next check (5 s)
					await().atMost(GUARD).until(() -> engine.unconfirmed.get() == 1);
					await().atMost(GUARD).until(() -> role(first).isWriter() && engine.started.get() == 2);
					assertThat(log.lines(Level.WARN)).anyMatch((line) -> line.contains("replicating again"));
					ReplicatedApp.insert(first.getBean(JdbcTemplate.class), 11, 15);
					first.getBean(ReplicatingDataSource.class).sync(ReplicatedApp.SYNC_TIMEOUT);
					// the next attempt flushes by a sync and hands over
					await().atMost(GUARD).until(() -> role(second).isWriter());
					JdbcTemplate writes = second.getBean(JdbcTemplate.class);
					assertThat(writes.queryForObject("SELECT count(*) FROM items", Integer.class)).isEqualTo(15);
					ReplicatedApp.insert(writes, 16, 20);
					second.getBean(ReplicatingDataSource.class).sync(ReplicatedApp.SYNC_TIMEOUT);
				});
			});
		}
		Path restored = IndependentRestore.fromS3(s3, BUCKET, prefix, this.dir.resolve("check.db"));
		assertThat(IndependentRestore.count(restored, "items")).isEqualTo(20);
	}

	private ApplicationContextRunner app(String prefix, String owner) {
		return ReplicatedApp.runner(this.dir.resolve(owner + "/app.db"), "s3://" + BUCKET + "/" + prefix, s3.endpoint())
			.withPropertyValues("s3lite.engine=native", "s3lite.lease.enabled=true", "s3lite.lease.owner=" + owner);
	}

	private static LeaseRole role(AssertableApplicationContext context) {
		return context.getBean(LeaseRole.class);
	}

	/**
	 * The native engine, whose replications claim a final upload of their own: the first one stops without
	 * it (halted, nothing uploaded) and says so; the others flush and stop.
	 */
	static final class FirstStopUnconfirmed implements ReplicationEngine {

		final AtomicInteger started = new AtomicInteger();

		final AtomicInteger unconfirmed = new AtomicInteger();

		private final NativeEngine delegate = new NativeEngine(
				S3Connection.of(s3.endpoint(), null, null, S3ProxyServer.ACCESS_KEY, S3ProxyServer.SECRET_KEY),
				new NativeOptions(Duration.ofSeconds(1), Duration.ofHours(1), Duration.ofHours(24), 64L << 20,
						Duration.ofSeconds(10)));

		@Override
		public String name() {
			return "unconfirmed-once";
		}

		@Override
		public List<Path> localState(Path database) {
			return this.delegate.localState(database);
		}

		@Override
		public boolean restore(ReplicaUrl replica, Path target, Duration timeout) {
			return this.delegate.restore(replica, target, timeout);
		}

		@Override
		public Optional<WalPosition> restoredPosition(Path target) {
			return this.delegate.restoredPosition(target);
		}

		@Override
		public Optional<String> restoredEnd(Path target) {
			return this.delegate.restoredEnd(target);
		}

		@Override
		public Optional<String> replicaEnd(ReplicaUrl replica) {
			return this.delegate.replicaEnd(replica);
		}

		@Override
		public void supersede(ReplicaUrl replica, WritePermit permit) {
			this.delegate.supersede(replica, permit);
		}

		@Override
		public void adoptRestored(Path target, WalPosition position) {
			this.delegate.adoptRestored(target, position);
		}

		@Override
		public void checkReplica(Path database, ReplicaUrl replica) {
			this.delegate.checkReplica(database, replica);
		}

		@Override
		public Replication start(Path database, ReplicaUrl replica) {
			return start(database, replica, WritePermit.ALWAYS);
		}

		@Override
		public Replication start(Path database, ReplicaUrl replica, WritePermit permit) {
			boolean first = this.started.incrementAndGet() == 1;
			return new Confirming(this.delegate.start(database, replica, permit), first ? this.unconfirmed : null);
		}

		@Override
		public List<String> connectionStatements() {
			return this.delegate.connectionStatements();
		}

	}

	/**
	 * A replication with a final upload: a sync and a stop, or, once, a halt reported as unconfirmed.
	 */
	private record Confirming(Replication delegate, AtomicInteger unconfirmed) implements Replication, FinalUpload {

		@Override
		public boolean provesFinalUpload() {
			return true;
		}

		@Override
		public boolean stopAfterFinalUpload(Duration timeout) {
			if (this.unconfirmed != null) {
				this.delegate.halt();
				this.unconfirmed.incrementAndGet();
				return false;
			}
			this.delegate.sync(timeout);
			this.delegate.stop();
			return true;
		}

		@Override
		public void sync(Duration timeout) {
			this.delegate.sync(timeout);
		}

		@Override
		public ReplicationStatus status() {
			return this.delegate.status();
		}

		@Override
		public void stop() {
			this.delegate.stop();
		}

		@Override
		public void halt() {
			this.delegate.halt();
		}

		@Override
		public void addSyncListener(SyncListener listener) {
			this.delegate.addSyncListener(listener);
		}

	}

}
