package io.github.s3lite.internal.nativeengine;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

import io.github.s3lite.internal.config.ReplicaUrl;
import io.github.s3lite.internal.config.S3Connection;
import io.github.s3lite.internal.nativeengine.format.LitestreamV03Format;
import io.github.s3lite.internal.nativeengine.format.ReplicaFormat;
import io.github.s3lite.internal.storage.ReplicaStore;
import io.github.s3lite.internal.storage.ReplicaStoreFactory;
import io.github.s3lite.test.IndependentRestore;
import io.github.s3lite.test.S3ProxyServer;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * A database over 100 MB crosses the format in both directions on S3 (S3Proxy), and the restore time
 * of the native restore is printed next to {@code litestream restore}'s for the same replica
 * ({@code LARGE-RESTORE ...} lines in the test output).
 */
class LargeDatabaseCrossRestoreTests {

	private static final String BUCKET = "large-restore";

	private static final int ROWS = 26_000;

	private static final int PAYLOAD = 4_000;

	@RegisterExtension
	static final S3ProxyServer s3 = S3ProxyServer.withBucket(BUCKET);

	private final ReplicaFormat format = new LitestreamV03Format();

	@TempDir
	Path dir;

	private static S3Connection s3Connection() {
		return S3Connection.of(s3.endpoint(), null, null, S3ProxyServer.ACCESS_KEY, S3ProxyServer.SECRET_KEY);
	}

	@Test
	void aDatabaseOver100MbWrittenByTheNativeWriterIsRestoredByLitestreamAndByTheNativeRestore() throws Exception {
		ReplicaUrl url = ReplicaUrl.parse("test", "s3://" + BUCKET + "/native-writer");
		try (SqliteTestDatabase db = new SqliteTestDatabase(this.dir.resolve("app.db"));
				ReplicaStore store = ReplicaStoreFactory.open(url, s3Connection());
				ReplicaWriter writer = ReplicaWriter.open(db.file(), store, this.format)) {
			insertLarge(db);
			long started = System.nanoTime();
			writer.startGeneration();
			long snapshotMillis = millisSince(started);
			db.insert(100, 500);
			writer.ship();
			assertThat(Files.size(db.file())).isGreaterThan(100L * 1024 * 1024);
			compareRestores("native-writer", url, store, db, snapshotMillis);
		}
	}

	@Test
	void aDatabaseOver100MbReplicatedByLitestreamIsRestoredByTheNativeRestore() throws Exception {
		ReplicaUrl url = ReplicaUrl.parse("test", "s3://" + BUCKET + "/litestream-writer");
		Path work = Files.createDirectories(this.dir.resolve("work"));
		try (SqliteTestDatabase db = new SqliteTestDatabase(this.dir.resolve("app.db"));
				ReplicaStore store = ReplicaStoreFactory.open(url, s3Connection())) {
			insertLarge(db);
			long started = System.nanoTime();
			Process litestream = LitestreamOracle.replicate(db.file(), url, s3Connection(), 1000, work);
			try {
				await("litestream's snapshot and first WAL segment").atMost(Duration.ofMinutes(3))
					.pollInterval(Duration.ofMillis(200))
					.until(() -> this.format.list(store).generations().stream()
						.anyMatch((g) -> !g.snapshots().isEmpty() && !g.segments().isEmpty()));
				int segments = this.format.list(store).generations().get(0).segments().size();
				db.insert(100, 500);
				await("litestream to upload the last rows").atMost(Duration.ofMinutes(1))
					.pollInterval(Duration.ofMillis(100))
					.until(() -> this.format.list(store).generations().get(0).segments().size() > segments);
			}
			finally {
				LitestreamOracle.stop(litestream);
			}
			long snapshotMillis = millisSince(started);
			compareRestores("litestream-writer", url, store, db, snapshotMillis);
		}
	}

	private void compareRestores(String name, ReplicaUrl url, ReplicaStore store, SqliteTestDatabase db,
			long writeMillis) throws Exception {
		String expected = db.fingerprint();
		Path byNative = this.dir.resolve(name + "-native.db");
		long started = System.nanoTime();
		NativeRestoreResult result = new NativeRestore(store, this.format, NativeRestore.DEFAULT_PARALLELISM)
			.restore(byNative);
		long nativeMillis = millisSince(started);
		assertThat(result.restored()).isTrue();
		assertThat(SqliteTestDatabase.fingerprint(byNative)).isEqualTo(expected);

		Path byLitestream = this.dir.resolve(name + "-litestream.db");
		started = System.nanoTime();
		LitestreamOracle.restore(url, s3Connection(), byLitestream, Files.createDirectories(this.dir.resolve("cfg")));
		long litestreamMillis = millisSince(started);
		assertThat(IndependentRestore.integrityCheck(byLitestream)).isEqualTo("ok");
		assertThat(SqliteTestDatabase.fingerprint(byLitestream)).isEqualTo(expected);
		System.out.printf("LARGE-RESTORE replica=%s dbBytes=%d writeMs=%d nativeRestoreMs=%d "
				+ "(incl. quick_check) litestreamRestoreMs=%d%n", name, result.bytes(), writeMillis, nativeMillis,
				litestreamMillis);
	}

	private static void insertLarge(SqliteTestDatabase db) throws Exception {
		for (int batch = 0; batch < 13; batch++) {
			db.insert(ROWS / 13, PAYLOAD);
		}
	}

	private static long millisSince(long started) {
		return Duration.ofNanos(System.nanoTime() - started).toMillis();
	}

}
