package io.github.s3lite.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import javax.sql.DataSource;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.infra.BenchmarkParams;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.jdbc.datasource.DataSourceTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import io.github.s3lite.datasource.ReplicatingDataSource;
import io.github.s3lite.replication.ReplicationStatus;

/**
 * Write throughput through {@link JdbcTemplate}, in a JMH fork per case: single-row transactions
 * (auto-commit) and 100-row batches in one transaction, with replication to S3Proxy (which runs in the
 * parent JVM) on and off. "off" is the same s3lite DataSource without {@code backup-to}, where SQLite's WAL
 * auto-checkpoint stays on (litestream owns checkpoints only when replicating); "off-no-autocheckpoint"
 * also turns it off, so that its pragmas are exactly those of "on". At the end of each trial the fork
 * appends to {@code bench.trial-file}: its peak RSS, litestream's, the WAL size, litestream's sync
 * error count and the replica's lag.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(java.util.concurrent.TimeUnit.SECONDS)
public class WriteThroughputBenchmark {

	static final String ENDPOINT = "bench.s3.endpoint";

	static final String TRIAL_FILE = "bench.trial-file";

	private static final String INSERT = "INSERT INTO items (name, payload) VALUES (?, ?)";

	private static final String PAYLOAD = "x".repeat(100);

	/** Whether the database is replicated. */
	@Param({ "on", "off", "off-no-autocheckpoint" })
	public String replication;

	private Path directory;

	private ConfigurableApplicationContext context;

	private JdbcTemplate jdbc;

	private TransactionTemplate transactions;

	private final List<Object[]> batch = new ArrayList<>();

	private long id;

	@Setup
	public void start() throws IOException {
		this.directory = Files.createTempDirectory("s3lite-bench-write");
		String prefix = ("on".equals(this.replication)) ? "write-" + ProcessHandle.current().pid() : null;
		Map<String, Object> properties = BenchApps.replicated(System.getProperty(ENDPOINT),
				this.directory.resolve("app.sqlite3").toString(), prefix);
		// closing after the trial is not measured: bound the final flush, which a saturating writer outruns
		properties.put("s3lite.shutdown-sync-timeout", "2s");
		properties.put("s3lite.litestream.shutdown-timeout", "2s");
		if ("off-no-autocheckpoint".equals(this.replication)) {
			properties.put("spring.datasource.hikari.connection-init-sql", "PRAGMA wal_autocheckpoint=0");
		}
		this.context = BenchApps.start(properties);
		DataSource dataSource = this.context.getBean(DataSource.class);
		if (prefix != null) {
			// let litestream set up (its tables, the first snapshot) before a saturating writer holds the lock
			this.context.getBean(ReplicatingDataSource.class).sync(Duration.ofSeconds(60));
		}
		this.jdbc = new JdbcTemplate(dataSource);
		this.transactions = new TransactionTemplate(new DataSourceTransactionManager(dataSource));
		for (int i = 0; i < 100; i++) {
			this.batch.add(new Object[] { "batch-" + i, PAYLOAD });
		}
	}

	@Benchmark
	public int singleRowTransaction() {
		return this.jdbc.update(INSERT, "row-" + this.id++, PAYLOAD);
	}

	@Benchmark
	@OperationsPerInvocation(100)
	public int[] hundredRowBatch() {
		return this.transactions.execute((status) -> this.jdbc.batchUpdate(INSERT, this.batch));
	}

	@TearDown
	public void stop(BenchmarkParams params) throws IOException {
		ReplicatingDataSource dataSource = this.context.getBean(ReplicatingDataSource.class);
		ReplicationStatus status = dataSource.status();
		Path wal = this.directory.resolve("app.sqlite3-wal");
		String line = params.getBenchmark().substring(params.getBenchmark().lastIndexOf('.') + 1) + " "
				+ this.replication + " " + ProcessMemory.peakRssMib(ProcessHandle.current().pid()) + " "
				+ ((status.details().get("pid") instanceof Number pid) ? ProcessMemory.peakRssMib(pid.longValue()) : Double.NaN) + " "
				+ (Files.exists(wal) ? Files.size(wal) / 1048576.0 : 0) + " "
				+ (status.configured() ? status.syncErrorCount() : -1) + " " + status.lagBytes() / 1048576.0 + "\n";
		String file = System.getProperty(TRIAL_FILE);
		if (file != null) {
			Files.writeString(Path.of(file), line, StandardCharsets.UTF_8, StandardOpenOption.CREATE,
					StandardOpenOption.APPEND);
		}
		this.context.close();
		Bench.deleteRecursively(this.directory);
	}

}
