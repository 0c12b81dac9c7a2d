package io.github.s3lite.autoconfigure;

import java.nio.file.Path;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.jdbc.core.JdbcTemplate;

import io.github.s3lite.testapp.S3liteApps;
import io.github.s3lite.internal.datasource.DatabaseLock;
import io.github.s3lite.datasource.ReplicatingDataSource;
import io.github.s3lite.reliability.ReplicatedApp;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * One local database, one s3lite instance: a second instance on the same {@code s3lite.path} fails
 * fast naming the path and the holder, and the first one keeps replicating untouched (its litestream
 * is not taken for an orphan).
 */
class LocalDatabaseOwnershipTests {

	@TempDir
	Path dir;

	@Test
	void aSecondInstanceOnTheSameLocalDatabaseFailsFastAndTheFirstKeepsReplicating() {
		Path database = this.dir.resolve("data/app.sqlite3");
		ApplicationContextRunner app = S3liteApps.withJdbc()
			.withPropertyValues("s3lite.path=" + database, "s3lite.backup-to=file:" + this.dir.resolve("replica"),
					"s3lite.migrations[0]=CREATE TABLE IF NOT EXISTS items (id INTEGER PRIMARY KEY, name TEXT)");
		app.run((first) -> {
			ReplicatingDataSource dataSource = first.getBean(ReplicatingDataSource.class);
			long pid = ReplicatedApp.litestreamPid(dataSource.status());
			app.run((second) -> {
				assertThat(second).hasFailed();
				assertThat(second.getStartupFailure()).hasRootCauseInstanceOf(DatabaseLock.DatabaseInUseException.class)
					.rootCause()
					.hasMessageContaining("s3lite.path (" + database + ") is in use by another s3lite instance (pid "
							+ ProcessHandle.current().pid());
			});
			assertThat(ProcessHandle.of(pid).map(ProcessHandle::isAlive)).contains(true);
			ReplicatedApp.insert(first.getBean(JdbcTemplate.class), 1, 3);
			dataSource.sync(Duration.ofSeconds(20));
			assertThat(ReplicatedApp.litestreamPid(dataSource.status())).isEqualTo(pid);
		});
	}

}
