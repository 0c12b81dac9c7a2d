package io.github.s3lite.internal.datasource;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

/**
 * The per-database lock that replaced "a litestream whose parent is not a JVM is an orphan": a live
 * instance, whatever launches it, holds the lock, so a second one fails fast naming the path and the
 * holder; a dead one's lock is released by the operating system.
 */
class DatabaseLockTests {

	@TempDir
	Path dir;

	@Test
	void aSecondInstanceInThisJvmFailsFastNamingThePathAndTheHolder() {
		Path database = this.dir.resolve("app.sqlite3");
		try (DatabaseLock first = DatabaseLock.acquire(database)) {
			assertThatExceptionOfType(DatabaseLock.DatabaseInUseException.class)
				.isThrownBy(() -> DatabaseLock.acquire(database))
				.withMessageContaining("s3lite.path (" + database + ")")
				.withMessageContaining("pid " + ProcessHandle.current().pid());
		}
		DatabaseLock.acquire(database).close();
	}

	@Test
	void aLockHeldByAnotherProcessFailsFastAndIsFreeOnceThatProcessDies() throws Exception {
		assumeTrue(Files.isExecutable(Path.of("/usr/bin/python3")) || Files.isExecutable(Path.of("/bin/python3")),
				"python3 stands in for another process holding a POSIX lock");
		Path database = this.dir.resolve("app.sqlite3");
		Path lockFile = this.dir.resolve(".app.sqlite3.s3lite-lock");
		// another live process (not a JVM: a custom launcher or a native image would look like this)
		Process other = new ProcessBuilder("python3", "-c",
				"import fcntl,sys,time\nf=open(sys.argv[1],'a+')\nfcntl.lockf(f,fcntl.LOCK_EX|fcntl.LOCK_NB)\n"
						+ "f.truncate(0);f.write('pid other-process');f.flush()\nprint('locked',flush=True)\ntime.sleep(60)",
				lockFile.toString())
			.redirectErrorStream(true)
			.start();
		try {
			BufferedReader output = new BufferedReader(new InputStreamReader(other.getInputStream(), StandardCharsets.UTF_8));
			assertThat(output.readLine()).isEqualTo("locked");
			assertThatExceptionOfType(DatabaseLock.DatabaseInUseException.class)
				.isThrownBy(() -> DatabaseLock.acquire(database))
				.withMessageContaining("in use by another s3lite instance (pid other-process)");
		}
		finally {
			other.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
		}
		DatabaseLock.acquire(database).close();
	}

}
