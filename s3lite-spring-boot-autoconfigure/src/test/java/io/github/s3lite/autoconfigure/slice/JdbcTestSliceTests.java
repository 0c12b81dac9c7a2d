package io.github.s3lite.autoconfigure.slice;

import java.nio.file.Path;
import java.time.Duration;

import javax.sql.DataSource;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.SpringBootConfiguration;
import org.springframework.boot.jdbc.test.autoconfigure.AutoConfigureTestDatabase;
import org.springframework.boot.jdbc.test.autoconfigure.JdbcTest;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.transaction.annotation.Propagation;
import org.springframework.transaction.annotation.Transactional;

import io.github.s3lite.datasource.ReplicatingDataSource;
import io.github.s3lite.test.IndependentRestore;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A {@code @JdbcTest} slice of an application using s3lite, without S3: s3lite is part of the slice
 * (through the {@code AutoConfigureJdbc.imports} the starter ships), {@code replace = NONE} keeps
 * Boot from swapping in an embedded database, and the replica is a {@code file:} directory in a
 * temporary directory.
 */
@JdbcTest
@AutoConfigureTestDatabase(replace = AutoConfigureTestDatabase.Replace.NONE)
@DirtiesContext
class JdbcTestSliceTests {

	@TempDir
	static Path dir;

	@DynamicPropertySource
	static void s3lite(DynamicPropertyRegistry registry) {
		registry.add("s3lite.path", () -> dir.resolve("app.sqlite3").toString());
		registry.add("s3lite.restore-from", () -> "file:" + dir.resolve("replica"));
		registry.add("s3lite.backup-to", () -> "file:" + dir.resolve("replica"));
		registry.add("s3lite.migrations[0]", () -> "CREATE TABLE IF NOT EXISTS items (id INTEGER PRIMARY KEY, name TEXT)");
	}

	@Autowired
	DataSource dataSource;

	@Autowired
	JdbcTemplate jdbc;

	@Test
	void theSliceUsesTheS3liteDataSourceWithItsMigrations() {
		assertThat(this.dataSource).isInstanceOf(ReplicatingDataSource.class);
		this.jdbc.update("INSERT INTO items (id, name) VALUES (1, 'rolled back after the test')");
		assertThat(this.jdbc.queryForObject("SELECT count(*) FROM items", Integer.class)).isOne();
		assertThat(this.jdbc.queryForObject("PRAGMA journal_mode", String.class)).isEqualTo("wal");
	}

	@Test
	@Transactional(propagation = Propagation.NOT_SUPPORTED)
	void theSliceReplicatesToTheFileReplicaOutsideTheTestTransaction() {
		// the slice's test transaction holds SQLite's write lock (s3lite.tx-lock=immediate) until it
		// rolls back; litestream needs that lock to sync, so a test that waits for the replica runs
		// without it
		((ReplicatingDataSource) this.dataSource).sync(Duration.ofSeconds(20));
		Path restored = IndependentRestore.fromDirectory(dir.resolve("replica"), dir.resolve("restored.sqlite3"));
		assertThat(IndependentRestore.queryLong(restored,
				"SELECT count(*) FROM sqlite_master WHERE type = 'table' AND name = 'items'"))
			.isOne();
	}

	@SpringBootConfiguration
	static class SliceApplication {

	}

}
