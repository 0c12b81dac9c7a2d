package io.github.s3lite.internal.litestream;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import io.github.s3lite.internal.config.LitestreamOptions;
import io.github.s3lite.internal.config.ReplicaUrl;
import io.github.s3lite.internal.config.S3Connection;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Parsing of litestream's output and metrics, and the configuration file s3lite writes for it.
 */
class LitestreamOutputAndMetricsTests {

	@TempDir
	Path dir;

	@Test
	void parsesLogfmtLinesWithQuotedValues() {
		LitestreamLogEvent event = LitestreamLogEvent.parse("time=2026-11-24T01:33:00.774Z level=INFO "
				+ "msg=\"wal segment written\" db=/tmp/x.db replica=s3 position=ec439c8a5cebc972/00000001:4152 "
				+ "elapsed=1.2ms sz=4152");
		assertThat(event.level()).isEqualTo("INFO");
		assertThat(event.message()).isEqualTo("wal segment written");
		assertThat(event.fields()).containsEntry("position", "ec439c8a5cebc972/00000001:4152")
			.containsEntry("replica", "s3")
			.doesNotContainKey("time");
		assertThat(event.isError()).isFalse();
	}

	@Test
	void treatsLinesThatAreNotLogfmtAsWarnings() {
		LitestreamLogEvent event = LitestreamLogEvent.parse("panic: runtime error: index out of range [3]");
		assertThat(event.level()).isEqualTo("WARN");
		assertThat(event.message()).startsWith("panic:");
	}

	@Test
	void parsesErrorsWithEscapedNewlines() {
		LitestreamLogEvent event = LitestreamLogEvent.parse("time=x level=ERROR msg=\"monitor error\" "
				+ "error=\"NoSuchBucket: gone\\n\\tstatus code: 404\"");
		assertThat(event.isError()).isTrue();
		assertThat(event.fields().get("error")).isEqualTo("NoSuchBucket: gone  status code: 404");
	}

	@Test
	void readsTheMetricsS3liteNeedsForItsOwnDatabase() {
		LitestreamMetrics metrics = LitestreamMetrics.parse("""
				# HELP litestream_sync_count Number of sync operations
				# TYPE litestream_sync_count counter
				litestream_sync_count{db="/tmp/ltt/db.sqlite"} 4
				litestream_sync_error_count{db="/tmp/ltt/db.sqlite"} 1
				litestream_replica_wal_index{db="/tmp/ltt/db.sqlite",name="s3"} 2
				litestream_replica_wal_offset{db="/tmp/ltt/db.sqlite",name="s3"} 16512
				litestream_total_wal_bytes{db="/tmp/ltt/db.sqlite"} 1.648e+04
				""", Path.of("/tmp/ltt/db.sqlite"));
		assertThat(metrics.syncCount()).isEqualTo(4);
		assertThat(metrics.syncErrorCount()).isEqualTo(1);
		assertThat(metrics.replicaIndex()).isEqualTo(2);
		assertThat(metrics.replicaOffset()).isEqualTo(16512);
	}

	@Test
	void metricsOfAnotherDatabaseNeverCountAndAreNeverSummedWithOurs() {
		String text = """
				litestream_sync_count{db="/other/app.db"} 7
				litestream_sync_count{db="/tmp/ltt/db.sqlite"} 4
				litestream_sync_error_count{db="/other/app.db"} 3
				litestream_replica_wal_index{db="/other/app.db",name="s3"} 9
				litestream_replica_wal_offset{db="/other/app.db",name="s3"} 99
				""";
		LitestreamMetrics ours = LitestreamMetrics.parse(text, Path.of("/tmp/ltt/db.sqlite"));
		assertThat(ours.syncCount()).isEqualTo(4);
		assertThat(ours.syncErrorCount()).isZero();
		assertThat(ours.replicaIndex()).isEqualTo(-1);
		assertThat(ours.replicaOffset()).isEqualTo(-1);
	}

	@Test
	void anEndpointWithoutMetricsForThisDatabaseIsNotLitestreamForIt() {
		assertThat(LitestreamMetrics.parse("litestream_sync_count{db=\"/other/app.db\"} 7\n",
				Path.of("/tmp/ltt/db.sqlite")))
			.isNull();
		assertThat(LitestreamMetrics.parse("", Path.of("/tmp/ltt/db.sqlite"))).isNull();
		assertThat(LitestreamMetrics.parse("go_goroutines 12\nlitestream_sync_count 3\n", Path.of("/tmp/ltt/db.sqlite")))
			.isNull();
	}

	@Test
	void readsDatabasePathsWithEscapedCharactersInLabels() {
		assertThat(PrometheusLabels.parse("db=\"/data/a \\\"b\\\".db\",name=\"s3\""))
			.containsEntry("db", "/data/a \"b\".db")
			.containsEntry("name", "s3");
	}

	@Test
	void alignsShadowWalSizesToWholeFrames() {
		assertThat(LocalWalPositions.aligned(32, 4096)).isEqualTo(32);
		assertThat(LocalWalPositions.aligned(32 + 4120, 4096)).isEqualTo(32 + 4120);
		assertThat(LocalWalPositions.aligned(32 + 4120 + 100, 4096)).isEqualTo(32 + 4120);
		assertThat(LocalWalPositions.aligned(10, 4096)).isEqualTo(10);
	}

	@Test
	void writesAnOwnerOnlyConfigWithUnitsAndWithoutCredentials() throws Exception {
		S3Connection s3 = S3Connection.of("http://127.0.0.1:9000", null, null, "AKIA-ID", "secret$with\"quote");
		LitestreamOptions options = new LitestreamOptions(null, this.dir, Duration.ofMillis(1500), Duration.ofSeconds(1),
				Duration.ofHours(1), Duration.ofHours(24), Duration.ofMinutes(1), 1000, 0, Duration.ofSeconds(10),
				Duration.ofSeconds(30), false);
		Path file = LitestreamConfigFile.writeReplicate(this.dir.resolve("litestream.yml"), Path.of("/data/app \"x\".db"),
				ReplicaUrl.parse("s3lite.backup-to", "s3://bucket/some/prefix"), s3, options, 41234);
		String yaml = Files.readString(file);
		assertThat(yaml).contains("addr: \"127.0.0.1:41234\"", "sync-interval: 1500ms", "monitor-interval: 1000ms",
				"snapshot-interval: 3600000ms", "retention: 86400000ms", "max-checkpoint-page-count: 0",
				"bucket: \"bucket\"", "path: \"some/prefix\"", "endpoint: \"http://127.0.0.1:9000\"",
				"region: \"us-east-1\"", "force-path-style: true", "path: \"/data/app \\\"x\\\".db\"");
		assertThat(yaml).doesNotContain("secret", "AKIA-ID", "access-key");
		assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
	}

	@Test
	void masksSecretsInRelayedText() {
		assertThat(SecretMask.of("s3cr3t-value", null, "ab").apply("key=s3cr3t-value ab"))
			.isEqualTo("key=****** ab");
	}

}
